from __future__ import annotations

import pytest

from zhijiao.domain.conversion.plan import CurriculumPlan, parse_plan

from .factories import PLAN_DATA


@pytest.fixture
def plan() -> CurriculumPlan:
    return parse_plan(PLAN_DATA)
