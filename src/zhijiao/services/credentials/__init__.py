"""Verifiable credentials use cases: issuance, sources, issuer keys, verification."""
