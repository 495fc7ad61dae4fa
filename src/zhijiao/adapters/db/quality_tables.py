"""Tables of quality monitoring (质量监测): data values with versions and provenance, import
batches, the per-school workflow, and local standards (provincial lines, school targets)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from zhijiao.adapters.db.tables import ID, metadata

quality_batches = Table(
    "quality_batches",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("filename", String(255), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_kind", String(16), nullable=False),  # form | long
    Column("actor", String(64), nullable=False),
    Column("values_written", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="no_pii",
)

quality_values = Table(
    "quality_values",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("institution_id", ID, ForeignKey("institutions.id"), nullable=False),
    Column("period", String(9), nullable=False),
    Column("element", String(48), nullable=False),
    Column("category", String(32), nullable=False, default=""),
    Column("value", Numeric(18, 2), nullable=False),
    Column("version", SmallInteger, nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("batch_id", ID, ForeignKey("quality_batches.id"), nullable=False, index=True),
    Column("submitted_by", String(64), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("sheet", String(40)),  # the form's sheet, or the data file's sheet
    Column("cell", String(12)),  # e.g. C7
    Column("row_no", Integer),  # the long file's row
    UniqueConstraint(
        "institution_id", "period", "element", "category", "version", name="uq_quality_values_key"
    ),
    Index("ix_quality_values_current", "institution_id", "period", "is_current"),
    comment="no_pii",
)

quality_submissions = Table(
    "quality_submissions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("institution_id", ID, ForeignKey("institutions.id"), nullable=False),
    Column("data_set", String(32), nullable=False),
    Column("period", String(9), nullable=False),
    Column("status", String(16), nullable=False),
    Column("declared_by", String(100)),
    Column("submitted_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("institution_id", "data_set", "period", name="uq_quality_submissions_key"),
    comment="pii: declared_by (the name of the person who confirmed the declaration)",
)

quality_submission_events = Table(
    "quality_submission_events",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("submission_id", ID, ForeignKey("quality_submissions.id"), nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("from_status", String(16), nullable=False),
    Column("to_status", String(16), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("comment", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    comment="pii: comment (may name people)",
)

quality_targets = Table(
    "quality_targets",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("scope", String(24), nullable=False),  # province:44 | school:<id>
    Column("indicator", String(48), nullable=False),
    Column("level", String(16), nullable=False),
    Column("discipline_type", String(16)),
    Column("pass_line", Numeric(14, 4), nullable=False),
    Column("document", String(200), nullable=False),
    Column("number", String(60), nullable=False),
    Column("sentence", Text, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("set_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="no_pii",
)
