"""Signing adapter: keys, DIDs, VC-JOSE (compact JWS), Data Integrity eddsa-rdfc-2022,
offline JSON-LD contexts and the OB 3.0 JSON Schema. Only this package imports
cryptography, joserfc, pyld and jsonschema."""
