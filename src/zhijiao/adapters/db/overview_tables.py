"""Summaries behind the overview pages (省级概况 / 全国概况), kept in step with their sources.

`overview_outcomes` holds, per (learner's province, issuing institution, kind, year obtained,
framework level), how many *active* outcomes there are and their credits and hours;
`overview_learners` holds, per (province, home institution, learner type, cohort year), how many
learning accounts there are. Both are updated in the same transaction as the rows they summarise
(`adapters/db/overview_summary.py`), so an overview page reads a few hundred rows whatever the size
of the outcomes table (docs/decisions/0019). Institution 0 and year 0 stand for "none".
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, Numeric, SmallInteger, String, Table

from zhijiao.adapters.db.tables import metadata

TOTAL_CREDITS = Numeric(16, 1)
TOTAL_HOURS = Numeric(18, 1)

overview_outcomes = Table(
    "overview_outcomes",
    metadata,
    Column("province_code", String(2), primary_key=True),  # the learner's province
    Column(
        "issuer_id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    ),
    Column("kind", String(32), primary_key=True),
    Column("year", SmallInteger, primary_key=True, autoincrement=False),
    Column("framework_level", SmallInteger, primary_key=True, autoincrement=False),
    Column("outcomes", BigInteger, nullable=False),
    Column("credits", TOTAL_CREDITS, nullable=False),
    Column("hours", TOTAL_HOURS, nullable=False),
    comment="no_pii",
)

overview_learners = Table(
    "overview_learners",
    metadata,
    Column("province_code", String(2), primary_key=True),
    Column(
        "institution_id",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("learner_type", String(16), primary_key=True),
    Column("cohort_year", SmallInteger, primary_key=True, autoincrement=False),
    Column("learners", BigInteger, nullable=False),
    comment="no_pii",
)
