"""Published admission runs: the examination office stores a run; schools see their own candidates and
lines; a candidate looks up their own result by 考生号 and name.

Scope is enforced here: a province's office sees its runs, a school only its own candidates (by its
院校代码 = the institution's 学校标识码), anyone else nothing. Out of scope answers the same 404 as a run that
does not exist, and a candidate look-up with a wrong name answers exactly as an unknown 考生号.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zhijiao.adapters.admissions.outputs import score_text
from zhijiao.domain.access import Principal, Role
from zhijiao.domain.admissions.model import Result
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.domain.text import clean
from zhijiao.services.admissions.runs import Run
from zhijiao.services.clock import utcnow

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

OFFICE_ROLES = (Role.province_admin, Role.national_admin)


def run_not_found() -> NotFound:
    return NotFound("录取批次不存在或无权查看", code="admission_run_not_found")


def result_not_found() -> NotFound:
    return NotFound("未查到与考生号、姓名和查询码相符的录取结果", code="admission_result_not_found")


def require_office(principal: Principal, province_code: str) -> None:
    """Only the province's examination office (or the national administrator) runs and publishes."""
    if principal.role is Role.national_admin:
        return
    if principal.role is Role.province_admin and principal.province_code == province_code:
        return
    if principal.role is Role.province_admin:
        raise Forbidden(
            f"录取政策属于省份 {province_code}，只能发布本省的录取批次", code="admission_province"
        )
    raise Forbidden("只有省级教育考试机构可以执行录取", code="role_forbidden")


def publish_run(uow: SqlUnitOfWork, principal: Principal, run: Run) -> int:
    """Store a run (lines of both rounds, every candidate's result) so that schools and candidates can see it."""
    require_office(principal, run.policy.province_code)
    progs = run.inputs.programmes
    admitted = run.result.admitted_per_group
    lines = [
        {"round": rnd, "plan": plan, "group_code": progs[line.group].code, "school_code": progs[line.group].school_code,
         "school_name": progs[line.group].school_name, "quota": line.quota, "dispatched": line.dispatched,
         "admitted": admitted[line.group], "min_score": score_text(line.min_total) or None, "min_rank": line.min_rank}
        for rnd, plan, ls in ((1, "general", run.result.lines), (1, "separate", run.result.separate_lines),
                              (2, "general", run.result.supplementary_lines))
        for line in ls
    ]  # fmt: skip
    results = []
    for c, o in zip(run.inputs.candidates, run.result.outcomes, strict=True):
        placed = o.group >= 0 and o.result is not Result.not_dispatched
        g = progs[o.group] if placed else None
        results.append({
            "candidate_no": c.no, "name": c.name, "result": o.result.value,
            "school_code": g.school_code if g else None, "group_code": g.code if g else None,
            "major_code": o.major or None, "reason": o.reason + (f"（{c.check_note}）" if c.check_note else ""),
            "total": score_text(o.total) or None, "rank": o.rank or None,
            "query_hmac": query_hmac(uow, c.no, c.query_code) if c.query_code else None,
        })  # fmt: skip
    with uow:
        run_id = uow.admissions.add_run(
            province_code=run.policy.province_code, name=run.policy.name, year=run.policy.year,
            record=run.record or {"counts": run.counts}, created_by=principal.actor, now=utcnow(),
        )  # fmt: skip
        uow.admissions.add_lines(run_id, lines)
        uow.admissions.add_results(run_id, results)
        uow.commit()
    return run_id


def _school_code(uow: SqlUnitOfWork, principal: Principal, run: dict[str, Any]) -> str | None:
    """None: the caller sees the whole run; a code: only that school's part. NotFound when out of scope."""
    match principal.role:
        case Role.national_admin:
            return None
        case Role.province_admin if principal.province_code == run["province_code"]:
            return None
        case Role.institution_staff if principal.institution_id is not None:
            inst = uow.institutions.get(principal.institution_id)
            if inst is not None and inst.moe_code and inst.province_code == run["province_code"]:
                return inst.moe_code
    raise run_not_found()


def visible_runs(uow: SqlUnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    with uow.read():
        match principal.role:
            case Role.national_admin:
                return uow.admissions.runs(None)
            case Role.province_admin:
                return uow.admissions.runs(principal.province_code)
            case Role.institution_staff if principal.institution_id is not None:
                inst = uow.institutions.get(principal.institution_id)
                return uow.admissions.runs(inst.province_code) if inst is not None and inst.moe_code else []
    return []


@dataclass(frozen=True, slots=True)
class RunView:
    run: dict[str, Any]
    school_code: str | None  # set when the caller is a school: everything below is that school's only
    lines: list[dict[str, Any]]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.run["record"].get("counts", {}))


def run_view(uow: SqlUnitOfWork, principal: Principal, run_id: int) -> RunView:
    with uow.read():
        run = uow.admissions.run(run_id)
        if run is None:
            raise run_not_found()
        school = _school_code(uow, principal, run)
        return RunView(run, school, uow.admissions.lines(run_id, school))


@dataclass(frozen=True, slots=True)
class ResultPage:
    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int


def run_results(uow: SqlUnitOfWork, principal: Principal, run_id: int, *, result: str | None = None,
                offset: int = 0, limit: int = 100) -> ResultPage:  # fmt: skip
    if result is not None and result not in {r.value for r in Result}:
        raise ValidationFailed(
            "结果应为 录取、退档 或 未投档", code="admission_result_filter", field="result"
        )
    limit, offset = max(1, min(limit, 1000)), max(0, offset)
    with uow.read():
        run = uow.admissions.run(run_id)
        if run is None:
            raise run_not_found()
        school = _school_code(uow, principal, run)
        if school is not None and result == Result.not_dispatched.value:
            return ResultPage([], 0, offset, limit)  # a school sees only candidates dispatched to it
        items, total = uow.admissions.results(run_id, school_code=school, result=result, offset=offset,
                                              limit=limit)  # fmt: skip
    return ResultPage(items, total, offset, limit)


def export_results(uow: SqlUnitOfWork, principal: Principal, run_id: int) -> list[dict[str, Any]]:
    """Every result in the caller's scope (a school: the candidates dispatched to it), for Excel."""
    with uow.read():
        run = uow.admissions.run(run_id)
        if run is None:
            raise run_not_found()
        return uow.admissions.all_results(run_id, _school_code(uow, principal, run))


def query_hmac(uow: SqlUnitOfWork, candidate_no: str, code: str) -> str:
    """The stored form of a 查询码: a keyed HMAC (the platform's index key) of 考生号 and code."""
    return uow.vault.index("admission_query", f"{candidate_no}:{code.upper()}")


def lookup_result(uow: SqlUnitOfWork, candidate_no: str, name: str, query_code: str = "") -> dict[str, Any]:
    """A candidate's own latest result: 考生号 and 姓名 must match, and the 查询码 too where the examination
    office issued one (compared in constant time). Any mismatch answers exactly as an unknown 考生号."""
    no, given, code = clean(candidate_no), clean(name), clean(query_code)
    if not no or not given or len(no) > 20 or len(given) > 100 or len(code) > 20:
        raise result_not_found()
    with uow.read():
        rows = uow.admissions.result_of(no)
    digest = query_hmac(uow, no, code) if code else ""
    for row in rows:
        name_ok = hmac.compare_digest(row["name"].encode(), given.encode())
        stored = row.get("query_hmac")
        code_ok = stored is None or hmac.compare_digest(stored.encode(), digest.encode())
        if name_ok and code_ok:
            return row
    raise result_not_found()


def school_reject(
    uow: SqlUnitOfWork, principal: Principal, run_id: int, candidate_no: str, reason: str
) -> dict[str, Any]:
    """A school records 退档 for a candidate dispatched to it and admitted, with its reason
    (“学校……录取，对退档考生说明理由”). Only the school the candidate was dispatched to may; anyone else,
    and a number not dispatched to that school, gets the same 404. The group's admitted count follows."""
    why = clean(reason)
    if not why:
        raise ValidationFailed("请填写退档理由", code="admission_reason_required", field="reason")
    if len(why) > 200:
        raise ValidationFailed("退档理由不超过 200 字", code="admission_reason_too_long", field="reason")
    no = clean(candidate_no)
    with uow:
        run = uow.admissions.run(run_id)
        if run is None:
            raise run_not_found()
        if principal.role is not Role.institution_staff:
            if not _visible(uow, principal, run):
                raise run_not_found()
            raise Forbidden("只有考生被投档的学校可以退档", code="admission_school_only")
        school = _school_code(uow, principal, run)
        row = uow.admissions.result_in(run_id, no)
        if row is None or school is None or row["school_code"] != school:
            raise NotFound("本校没有该考生的投档记录", code="admission_candidate_not_found")
        if row["result"] != Result.admitted.value:
            raise ValidationFailed(f"考生 {no} 当前为“{row['result']}”，只能对已录取的考生退档",
                                   code="admission_not_admitted")  # fmt: skip
        uow.admissions.set_result(row["id"], result=Result.rejected.value, major_code=None,
                                  reason=f"{row['reason']}；院校退档：{why}")  # fmt: skip
        uow.admissions.set_admitted(
            run_id, row["group_code"], uow.admissions.admitted_by_group(run_id, row["group_code"])
        )
        uow.commit()
        return {**row, "result": Result.rejected.value, "reason": f"{row['reason']}；院校退档：{why}"}


def _visible(uow: SqlUnitOfWork, principal: Principal, run: dict[str, Any]) -> bool:
    try:
        _school_code(uow, principal, run)
    except NotFound:
        return False
    return True
