"""技能拔尖 and certificate exemptions checked against the credit bank: where a candidate gives a 学习账号,
the credit bank's active outcomes count, not the claims in the candidates file (and a revoked outcome,
or an account the caller may not see, counts as nothing)."""

from __future__ import annotations

from datetime import date

from tests.factories import World
from zhijiao.adapters.admissions.files import InputFile
from zhijiao.adapters.admissions.policy_io import policy_template
from zhijiao.domain.creditbank.model import Level, OutcomeDraft, OutcomeKind
from zhijiao.services.admissions.runs import RunFiles, run_admissions
from zhijiao.services.creditbank import outcomes

PROGRAMMES = "专业组代码,院校代码,院校名称,计划数\nG001,10001,甲职业技术学院,5\n"


def _record(
    world: World, kind: OutcomeKind, title: str, level: Level | None = None, code: str = "X-1"
) -> int:
    draft = OutcomeDraft(kind=kind, title=title, issuer_id=world.school.id or 0,
                         obtained_on=date(2025, 6, 1), code=code, level=level)  # fmt: skip
    o = outcomes.record_outcome(
        world.platform.uow(), world.p("school_staff"), world.learner_account.account_no, draft
    )
    assert o.id is not None
    return o.id


def _run(world: World, candidates: str, user: str = "gd_admin"):  # type: ignore[no-untyped-def]
    files = RunFiles(InputFile("P.yaml", policy_template().encode()), InputFile("G.csv", PROGRAMMES.encode()),
                     InputFile("C.csv", candidates.encode()))  # fmt: skip
    return run_admissions(files, credit_bank=world.platform.uow, principal=world.p(user))


def _champion(account: str, award: str) -> str:
    return ("考生号,姓名,考生类别,文化素质成绩,职业技能成绩,志愿1,服从调剂,学习账号,获奖\n"
            f"K001,李明,技能拔尖,,,G001,是,{account},{award}\n")  # fmt: skip


def test_a_claimed_award_without_the_outcome_in_the_credit_bank_is_not_exam_free(world: World) -> None:
    acc = world.learner_account.account_no
    # the file claims 国赛一等奖, the account holds nothing: not exam-free, no scores → not dispatched
    done = _run(world, _champion(acc, "国赛一等奖"))
    o = done.result.outcomes[0]
    assert o.result.value == "未投档" and "不符合技能拔尖免试条件" in o.reason
    assert done.inputs.candidates[0].check_note == "学分银行中无可认定的竞赛获奖"
    assert done.checks is not None and (done.checks.accounts, done.checks.found) == (1, 1)
    # a provincial second prize in the credit bank does not meet 国赛三等奖 / 省赛一等奖 either
    _record(world, OutcomeKind.competition_award, "广东省职业院校技能大赛 数控车 二等奖")
    assert _run(world, _champion(acc, "国赛一等奖")).result.outcomes[0].result.value == "未投档"
    # once the credit bank holds 省赛一等奖, the candidate is admitted without examination
    first = _record(world, OutcomeKind.competition_award, "广东省职业院校技能大赛 数控车 一等奖")
    done = _run(world, _champion(acc, ""))  # even with no claim in the file
    o = done.result.outcomes[0]
    assert o.result.value == "录取" and o.reason.startswith("技能拔尖免试")
    assert done.checks is not None and done.checks.awards_confirmed == 1
    # revoked in the credit bank: the award no longer counts
    outcomes.revoke_outcome(world.platform.uow(), world.p("school_staff"), first, "获奖证书有误")
    assert _run(world, _champion(acc, "省赛一等奖")).result.outcomes[0].result.value == "未投档"


def test_an_account_outside_the_callers_scope_counts_as_not_found(world: World) -> None:
    _record(world, OutcomeKind.competition_award, "全国职业院校技能大赛 一等奖")
    # 湖南's office may not see a 广东 learner's account: the award is not recognised
    done = _run(world, _champion(world.learner_account.account_no, "国赛一等奖"), user="hn_admin")
    assert done.result.outcomes[0].result.value == "未投档"
    assert "未找到该学习账号" in done.inputs.candidates[0].check_note
    assert done.checks is not None and done.checks.found == 0
    assert (
        _run(world, _champion(world.learner_account.account_no, "")).result.outcomes[0].result.value == "录取"
    )


def test_certificate_exemption_uses_the_credit_banks_level(world: World) -> None:
    acc = world.learner_account.account_no
    # the template: 中级 or above → skill test exempted at 360; culture 200 → 560
    head = "考生号,姓名,考生类别,文化素质成绩,职业技能成绩,志愿1,服从调剂,学习账号,证书等级\n"
    claim = head + f"K001,李明,普通,200,,G001,是,{acc},高级\n"
    o = _run(world, claim).result.outcomes[0]
    assert o.result.value == "未投档" and "缺考" in o.reason  # claimed 高级, the credit bank holds none
    _record(world, OutcomeKind.skill_certificate, "Web 前端开发", Level.junior)
    assert _run(world, claim).result.outcomes[0].result.value == "未投档"  # 初级 is below 中级
    _record(world, OutcomeKind.skill_certificate, "Web 前端开发", Level.intermediate, code="X-2")
    done = _run(world, head + f"K001,李明,普通,200,,G001,是,{acc},\n")
    o = done.result.outcomes[0]
    assert o.result.value == "录取" and o.total == (200 + 360) * 10_000
    assert done.inputs.candidates[0].certificate_level == 2
