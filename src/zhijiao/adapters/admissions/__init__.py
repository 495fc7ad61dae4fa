"""Admissions at the edge: the policy file, the input tables, the output files and the run record."""
