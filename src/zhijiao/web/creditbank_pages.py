"""Credit-bank pages: a learner's account and transcript, an institution's learners, a province's overview."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
