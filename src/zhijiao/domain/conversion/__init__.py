"""学习成果转换 (conversion): curriculum plans, conversion rules, eligibility, caps, exemptions, audits."""
