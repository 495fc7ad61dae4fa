"""Tables of verifiable credentials (可验证凭证): issuers, their keys, issued credentials, status lists.

Same `metadata` as the credit bank; `tables.py` imports this module so Alembic sees them.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from zhijiao.adapters.db.tables import ID, metadata

issuer_profiles = Table(
    "issuer_profiles",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("handle", String(40), nullable=False, unique=True),  # "platform" or "institution-<id>"
    Column("institution_id", ID, ForeignKey("institutions.id"), unique=True),  # NULL: the platform
    Column("did", String(300), nullable=False),  # the current DID (did:key changes on rotation)
    Column("name", String(200), nullable=False),
    Column("url", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="no_pii",
)

issuer_keys = Table(
    "issuer_keys",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("issuer_id", ID, ForeignKey("issuer_profiles.id"), nullable=False, index=True),
    Column("did", String(300), nullable=False, index=True),  # the DID the key was published under
    Column("kid", String(400), nullable=False, unique=True),  # verification method id: did#fragment
    Column("fragment", String(80), nullable=False),
    Column("algorithm", String(16), nullable=False),  # EdDSA (Ed25519) or RS256 (RSA 2048)
    Column("public_key_pem", Text, nullable=False),
    Column("sealed_private_key", LargeBinary, nullable=False),  # AES-256-GCM under the KEK
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True)),  # kept: old credentials stay verifiable
    comment="no_pii",
)

status_lists = Table(
    "status_lists",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("issuer_id", ID, ForeignKey("issuer_profiles.id"), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),
    Column("status_size", SmallInteger, nullable=False),
    Column("capacity", Integer, nullable=False),  # entries (≥ 131,072)
    Column("next_index", Integer, nullable=False),
    Column("bits", LargeBinary, nullable=False),  # the uncompressed bitstring
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    comment="no_pii",
)

issued_credentials = Table(
    "issued_credentials",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid; the credential is urn:uuid:<id>
    Column("account_id", ID, ForeignKey("learning_accounts.id"), nullable=False, index=True),
    Column("issuer_id", ID, ForeignKey("issuer_profiles.id"), nullable=False),
    Column("kind", String(32), nullable=False),  # an achievement kind, or "transcript"
    Column("outcome_id", ID, ForeignKey("outcomes.id")),
    Column("source_ref", String(64)),  # an exemption id, or other non-outcome source
    Column("selection", Text),  # transcript: JSON list of the outcome ids chosen
    Column("name", String(200), nullable=False),
    Column("status_list_id", ID, ForeignKey("status_lists.id"), nullable=False),
    Column("status_index", Integer, nullable=False),
    Column("state", String(16), nullable=False),  # active / suspended / revoked (mirrors the list)
    Column("kid", String(400), nullable=False),
    Column("jws", Text, nullable=False),
    Column("di_json", Text),  # DI-signed JSON; NULL for transcripts (CLR context not pinned)
    Column("issued_by", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("valid_until", DateTime(timezone=True)),
    UniqueConstraint("status_list_id", "status_index", name="uq_issued_credentials_status_slot"),
    Index("ix_issued_credentials_outcome", "outcome_id"),
    comment="pii: jws, di_json (the learner's achievements, named by account number or salted hash)",
)
