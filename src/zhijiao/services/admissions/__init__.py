"""Admissions services: checks against the credit bank, and running a province's admission."""
