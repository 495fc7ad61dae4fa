"""SQLAlchemy Core tables of conversion (学习成果转换): plans, rules, agreements, applications, exemptions.

Every table's `comment` declares its personal data (`no_pii` or `pii: <columns>`); learner-owned
tables carry `account_id`. The database itself makes "exactly once" hold: an application reaches
each state at most once (the states form a DAG), and an account has at most one exemption per plan
course.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

PLAN_CREDITS = Numeric(7, 2)

curriculum_plans = Table(
    "curriculum_plans",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("institution_id", ID, ForeignKey("institutions.id"), nullable=False),
    Column("major_code", String(6), nullable=False),
    Column("cohort_year", SmallInteger, nullable=False),
    Column("name", String(200), nullable=False),
    Column("document", JSON, nullable=False),  # plan_to_dict(plan): courses, modules, requirements
    Column("published_by", String(64), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("institution_id", "major_code", "cohort_year", name="uq_curriculum_plans_key"),
    comment="pii: published_by (the username of who published it)",
)

conversion_rule_sets = Table(
    "conversion_rule_sets",
    metadata,
    Column("plan_id", ID, ForeignKey("curriculum_plans.id"), primary_key=True),
    Column("caps", JSON, nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    comment="pii: updated_by (the username of who published it)",
)

conversion_rules = Table(
    "conversion_rules",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("plan_id", ID, ForeignKey("curriculum_plans.id"), nullable=False),
    Column("rule_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date),
    Column("document", JSON, nullable=False),  # the validated rule as in the published schema
    Column("published_by", String(64), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("plan_id", "rule_id", "version", name="uq_conversion_rules_version"),
    comment="pii: published_by (the username of who published it)",
)

conversion_agreements = Table(
    "conversion_agreements",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("institution_id", ID, ForeignKey("institutions.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("partner_id", ID, ForeignKey("institutions.id"), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date),
    Column("rule_ids", JSON, nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("institution_id", "code", name="uq_conversion_agreements_code"),
    comment="pii: updated_by (the username of who published it)",
)

conversion_applications = Table(
    "conversion_applications",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("account_id", ID, ForeignKey("learning_accounts.id"), nullable=False, index=True),
    Column("plan_id", ID, ForeignKey("curriculum_plans.id"), nullable=False),
    Column("outcome_ids", JSON, nullable=False),
    Column("target_courses", JSON, nullable=False),
    Column("precheck", JSON, nullable=False),  # [{course_code, course_name, eligible, explanation}]
    # courses the learner wants exempted first, most wanted first (issue 13)
    Column("preferred_courses", JSON, nullable=False, server_default="[]"),
    Column("state", String(16), nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("review_deadline", Date, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_conversion_applications_queue", "plan_id", "state", "review_deadline"),
    comment="no_pii",
)

application_transitions = Table(
    "application_transitions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("application_id", ID, ForeignKey("conversion_applications.id"), nullable=False),
    Column("account_id", ID, ForeignKey("learning_accounts.id"), nullable=False),
    Column("from_state", String(16)),
    Column("to_state", String(16), nullable=False),
    Column("by_user_id", ID, nullable=False),
    Column("by_actor", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    # the states form a DAG, so each is reached at most once: a second approval cannot be stored
    UniqueConstraint("application_id", "to_state", name="uq_application_transitions_state"),
    comment="pii: by_actor (the username of who made the change)",
)

exemptions = Table(
    "exemptions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("account_id", ID, ForeignKey("learning_accounts.id"), nullable=False),
    Column("plan_id", ID, ForeignKey("curriculum_plans.id"), nullable=False),
    Column("course_code", String(64), nullable=False),
    Column("credits", PLAN_CREDITS, nullable=False),
    Column("category", String(32), nullable=False),
    Column("rule_id", String(64), nullable=False),
    Column("rule_version", Integer, nullable=False),
    Column("outcome_ids", JSON, nullable=False),
    Column("reuse_sources", Boolean, nullable=False),
    Column("application_id", ID, ForeignKey("conversion_applications.id"), nullable=False),
    Column("granted_on", Date, nullable=False),
    Column("status", String(16), nullable=False),  # active / flagged
    Column("flagged_reason", Text),
    Column("flagged_at", DateTime(timezone=True)),
    UniqueConstraint("account_id", "plan_id", "course_code", name="uq_exemptions_course"),
    comment="no_pii",
)
