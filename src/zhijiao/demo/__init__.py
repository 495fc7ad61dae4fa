"""The demo province (`zhijiao demo`): plausible, fictitious institutions, learners and outcomes.

Everything is generated from a seed (same seed → same province) and written through the real
services, so validation, encryption, hashing and the ledger apply as they would in production.
Names are made up from city names and common patterns; codes and ID numbers are checksum-valid
but fictitious.
"""
