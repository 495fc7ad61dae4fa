"""Use cases. Each state change is one function that runs inside a unit of work and commits it."""
