"""A world with a transcript worth looking at: outcomes of several kinds, one revoked, and learners
in two schools and two provinces. Built through the services, as users would build it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.factories import World, national_id
from zhijiao.domain.creditbank.model import Grade, LearningAccount, Level, OutcomeDraft, OutcomeKind
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank import accounts, outcomes

LEARNER_ID = national_id(1)  # the world's learner 李明: the full number must never appear on a page


@dataclass
class PageWorld:
    world: World
    classmate: LearningAccount  # 王芳, same school as 李明
    other_school_learner: LearningAccount  # 陈静, another 广东 school
    far_learner: LearningAccount  # 赵强, a 湖南 school


def _open(w: World, staff: str, name: str, n: int, inst_id: int | None, region: str) -> LearningAccount:
    return accounts.open_account(
        w.platform.uow(), w.p(staff), name=name, id_type=IdType.national_id,
        id_number=national_id(n, region), institution_id=inst_id,
    )  # fmt: skip


def build_page_world(w: World) -> PageWorld:
    uow, no = w.platform.uow, w.learner_account.account_no
    assert w.school.id and w.certifier.id and w.far_school.id and w.other_school.id
    outcomes.record_outcome(
        uow(), w.p("school_staff"), no,
        OutcomeDraft(OutcomeKind.course, "Python程序设计", w.school.id, date(2023, 6, 30),
                     hours=Decimal(72), score=Decimal(88)),
    )  # fmt: skip
    outcomes.record_outcome(
        uow(), w.p("school_staff"), no,
        OutcomeDraft(OutcomeKind.course, "数据库原理", w.school.id, date(2024, 1, 10),
                     hours=Decimal(48), grade=Grade.excellent),
    )  # fmt: skip
    outcomes.record_outcome(
        uow(), w.p("certifier"), no,
        OutcomeDraft(OutcomeKind.skill_certificate, "Web前端开发", w.certifier.id, date(2024, 7, 1),
                     level=Level.intermediate), w.knows_learner(),
    )  # fmt: skip
    wrong = outcomes.record_outcome(
        uow(), w.p("school_staff"), no,
        OutcomeDraft(OutcomeKind.course, "误录课程", w.school.id, date(2024, 3, 1), hours=Decimal(32)),
    )  # fmt: skip
    assert wrong.id is not None
    outcomes.revoke_outcome(uow(), w.p("school_staff"), wrong.id, "录入错误")
    classmate = _open(w, "school_staff", "王芳", 7, w.school.id, "440103")
    other = _open(w, "other_staff", "陈静", 8, w.other_school.id, "440105")
    far = _open(w, "far_staff", "赵强", 9, w.far_school.id, "430211")
    outcomes.record_outcome(
        uow(), w.p("far_staff"), far.account_no,
        OutcomeDraft(OutcomeKind.training, "轨道交通安全培训", w.far_school.id, date(2024, 5, 5),
                     hours=Decimal(16)),
    )  # fmt: skip
    return PageWorld(w, classmate, other, far)
