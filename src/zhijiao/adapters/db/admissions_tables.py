"""SQLAlchemy Core tables of admissions (分类考试招生): published runs, their cut-off lines, the majors of
each group with their 计划数 (for a school's moves between majors), and results.

Every table's `comment` declares its personal data. Candidates are identified by 考生号 only (never by an
identity number); the name is kept because schools need it and the candidate's look-up checks it.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Table, Text

from zhijiao.adapters.db.tables import ID, metadata

admission_runs = Table(
    "admission_runs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("province_code", String(2), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("record", JSON, nullable=False),  # the run record: policy, inputs/outputs SHA-256, counts
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="no_pii",
)

admission_lines = Table(
    "admission_lines",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("run_id", ID, ForeignKey("admission_runs.id"), nullable=False, index=True),
    Column("round", SmallInteger, nullable=False),  # 1, or 2 for 征集志愿
    Column("plan", String(10), nullable=False),  # general / separate
    Column("group_code", String(20), nullable=False),
    Column("school_code", String(20), nullable=False),
    Column("school_name", String(200), nullable=False),
    Column("quota", Integer, nullable=False),
    Column("dispatched", Integer, nullable=False),
    Column("admitted", Integer, nullable=False),
    Column("min_score", String(16), nullable=True),
    Column("min_rank", Integer, nullable=True),
    comment="no_pii",
)

admission_results = Table(
    "admission_results",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("run_id", ID, ForeignKey("admission_runs.id"), nullable=False),
    Column("candidate_no", String(20), nullable=False),
    Column("name", String(100), nullable=False),
    Column("result", String(8), nullable=False),
    Column("school_code", String(20), nullable=True),
    Column("group_code", String(20), nullable=True),
    Column("major_code", String(20), nullable=True),
    Column("reason", Text, nullable=False),
    Column("total", String(16), nullable=True),
    Column("rank", Integer, nullable=True),
    Column("query_hmac", String(64), nullable=True),  # keyed HMAC of 考生号 + 查询码 (never the code itself)
    Index("uq_admission_results_run_candidate", "run_id", "candidate_no", unique=True),
    Index("ix_admission_results_run_school", "run_id", "school_code"),
    comment="pii: name",
)

admission_majors = Table(
    "admission_majors",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("run_id", ID, ForeignKey("admission_runs.id"), nullable=False),
    Column("group_code", String(20), nullable=False),
    Column("major_code", String(20), nullable=False),
    Column("major_name", String(200), nullable=False),
    Column("quota", Integer, nullable=False),  # the major's 计划数 in the majors file
    Index("uq_admission_majors_run_group_major", "run_id", "group_code", "major_code", unique=True),
    comment="no_pii",
)
