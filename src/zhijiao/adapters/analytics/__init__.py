"""The read side: aggregate queries for reports, returning plain rows (no domain objects)."""
