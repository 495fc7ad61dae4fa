"""Conversion (学习成果转换) use cases: plans, rules, applications, exemptions, audits, cohort suggestions."""
