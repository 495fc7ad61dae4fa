"""Verifiable credentials (可验证凭证): Open Badges 3.0 / CLR 2.0 composition on the
W3C VC Data Model 2.0, Bitstring Status List 1.0 bit operations, and the pure
verification pipeline. Crypto and JSON-LD live in `zhijiao.adapters.signing`."""
