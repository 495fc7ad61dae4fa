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
from zhijiao.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
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
        uow.admissions.add_majors(run_id, [
            {"group_code": p.code, "major_code": m.code, "major_name": m.name, "quota": m.quota}
            for p in progs for m in p.majors
        ])  # fmt: skip
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


def _reason(reason: str, *, required: str, too_long: str) -> str:
    why = clean(reason)
    if not why:
        raise ValidationFailed(required, code="admission_reason_required", field="reason")
    if len(why) > 200:
        raise ValidationFailed(too_long, code="admission_reason_too_long", field="reason")
    return why


def _school_row(
    uow: SqlUnitOfWork, principal: Principal, run: dict[str, Any], candidate_no: str, only_school: str
) -> dict[str, Any]:
    """The result row of a candidate dispatched to the caller's school. Anyone who may not see the run,
    and a school the candidate was not dispatched to, gets the 404 of an unknown number; the office
    (who sees the run) is told that only the school may act."""
    if principal.role is not Role.institution_staff:
        if not _visible(uow, principal, run):
            raise run_not_found()
        raise Forbidden(only_school, code="admission_school_only")
    school = _school_code(uow, principal, run)
    row = uow.admissions.result_in(run["id"], clean(candidate_no))
    if row is None or school is None or row["school_code"] != school:
        raise NotFound("本校没有该考生的投档记录", code="admission_candidate_not_found")
    if run["record"].get("locked"):
        raise Conflict("录取批次已由考试院确认并锁定，不能再退档或调整专业", code="admission_run_locked")
    return row


def _record_change(uow: SqlUnitOfWork, run: dict[str, Any], change: dict[str, Any]) -> None:
    """Append a school's change (who, when, what, why) to the run's record."""
    record = dict(run["record"])
    record["school_changes"] = [*record.get("school_changes", []), change]
    uow.admissions.set_record(run["id"], record)


def school_reject(
    uow: SqlUnitOfWork, principal: Principal, run_id: int, candidate_no: str, reason: str
) -> dict[str, Any]:
    """A school records 退档 for a candidate dispatched to it and admitted, with its reason
    (“学校……录取，对退档考生说明理由”). Only the school the candidate was dispatched to may; anyone else,
    and a number not dispatched to that school, gets the same 404. The group's admitted count follows;
    the change (who, when, reason) is appended to the run's record. Refused once the run is locked."""
    why = _reason(reason, required="请填写退档理由", too_long="退档理由不超过 200 字")
    no = clean(candidate_no)
    with uow:
        run = uow.admissions.lock_run(run_id)
        if run is None:
            raise run_not_found()
        row = _school_row(uow, principal, run, no, "只有考生被投档的学校可以退档")
        if row["result"] != Result.admitted.value:
            raise ValidationFailed(f"考生 {no} 当前为“{row['result']}”，只能对已录取的考生退档",
                                   code="admission_not_admitted")  # fmt: skip
        reason_text = f"{row['reason']}；院校退档：{why}"
        uow.admissions.set_result(row["id"], result=Result.rejected.value, major_code=None, reason=reason_text)
        uow.admissions.set_admitted(
            run_id, row["group_code"], uow.admissions.admitted_by_group(run_id, row["group_code"])
        )
        _record_change(uow, run, {
            "kind": "reject", "candidate_no": no, "group_code": row["group_code"],
            "from_major": row["major_code"], "to_major": None, "reason": why,
            "by": principal.actor, "at": utcnow().isoformat(timespec="seconds"),
        })  # fmt: skip
        uow.commit()
        return {**row, "result": Result.rejected.value, "major_code": None, "reason": reason_text}


def school_move(
    uow: SqlUnitOfWork, principal: Principal, run_id: int, candidate_no: str, major_code: str, reason: str,
    *, group_code: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A school moves an admitted candidate to another major of the same 专业组 by hand (“学校……录取”: the
    school places its dispatched candidates into majors), where that major has a free place (admitted
    < its 计划数 in the majors file). Scope as for 退档: only the school the candidate was dispatched to;
    everyone else gets the 404 of an unknown number. Refused with the reason when the major is full, is
    not in the candidate's group, or the run is locked. The move is appended to the candidate's reason
    and, with who, when and why, to the run's record; the group's admitted count does not change."""
    why = _reason(reason, required="请填写调整专业的理由", too_long="调整专业的理由不超过 200 字")
    no, target = clean(candidate_no), clean(major_code)
    with uow:
        run = uow.admissions.lock_run(run_id)
        if run is None:
            raise run_not_found()
        row = _school_row(uow, principal, run, no, "只有考生被投档的学校可以调整专业")
        if row["result"] != Result.admitted.value:
            raise ValidationFailed(f"考生 {no} 当前为“{row['result']}”，只能调整已录取考生的专业",
                                   code="admission_not_admitted")  # fmt: skip
        group = row["group_code"]
        wanted_group = clean(group_code) if group_code else group
        if wanted_group != group:
            raise ValidationFailed(
                f"专业组 {wanted_group} 不是考生 {no} 被投档的专业组 {group}，只能在同一专业组内调整专业",
                code="admission_other_group", field="group_code",
            )  # fmt: skip
        majors = {m["major_code"]: m for m in uow.admissions.majors(run_id, [group])}
        if not majors:
            raise ValidationFailed(f"专业组 {group} 未分专业，不能调整专业", code="admission_no_majors")
        if target not in majors:
            raise ValidationFailed(f"专业组 {group} 中没有专业 {target}，只能在同一专业组内调整专业",
                                   code="admission_other_group", field="major_code")  # fmt: skip
        if target == row["major_code"]:
            raise ValidationFailed(f"考生 {no} 已在专业 {target}", code="admission_same_major", field="major_code")
        m = majors[target]
        if m["admitted"] >= m["quota"]:
            raise Conflict(
                f"专业 {target}（{m['major_name']}）计划数 {m['quota']} 已录满（已录取 {m['admitted']} 人），不能调入",
                code="admission_major_full",
            )  # fmt: skip
        before = row["major_code"] or "—"
        reason_text = f"{row['reason']}；院校调整专业：{before} → {target}（{why}）"
        uow.admissions.set_result(row["id"], result=Result.admitted.value, major_code=target, reason=reason_text)
        _record_change(uow, run, {
            "kind": "move", "candidate_no": no, "group_code": group, "from_major": row["major_code"],
            "to_major": target, "reason": why, "by": principal.actor, "at": utcnow().isoformat(timespec="seconds"),
        })  # fmt: skip
        uow.commit()
        return {**row, "major_code": target, "reason": reason_text}


def lock_run(uow: SqlUnitOfWork, principal: Principal, run_id: int) -> dict[str, Any]:
    """The examination office confirms and locks a run's results (录取结果确认): schools can no longer
    record 退档 or move candidates between majors. Locking twice is refused."""
    with uow:
        run = uow.admissions.lock_run(run_id)
        if run is None or not _visible(uow, principal, run):
            raise run_not_found()
        if principal.role not in OFFICE_ROLES:
            raise Forbidden("只有省级教育考试机构可以确认并锁定录取结果", code="role_forbidden")
        if run["record"].get("locked"):
            raise Conflict("录取批次已由考试院确认并锁定，不能再退档或调整专业", code="admission_run_locked")
        record = {**run["record"], "locked": {"by": principal.actor, "at": utcnow().isoformat(timespec="seconds")}}
        uow.admissions.set_record(run_id, record)
        uow.commit()
        return {**run, "record": record}


def run_majors(uow: SqlUnitOfWork, principal: Principal, run_id: int) -> list[dict[str, Any]]:
    """The majors of the groups in the caller's scope, with 计划数 and admitted counts."""
    with uow.read():
        run = uow.admissions.run(run_id)
        if run is None:
            raise run_not_found()
        school = _school_code(uow, principal, run)
        groups = None if school is None else sorted({ln["group_code"] for ln in uow.admissions.lines(run_id, school)})
        return uow.admissions.majors(run_id, groups)


def _visible(uow: SqlUnitOfWork, principal: Principal, run: dict[str, Any]) -> bool:
    try:
        _school_code(uow, principal, run)
    except NotFound:
        return False
    return True
