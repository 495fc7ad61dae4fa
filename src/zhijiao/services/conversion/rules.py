"""学习成果转换办法: importing versioned rule sets (YAML/JSON), exporting and publishing them, agreements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from zhijiao.adapters.rules_io import Format, dumps_rule_set, loads_rule_set, rules_schema, to_file_data
from zhijiao.domain.access import Principal
from zhijiao.domain.conversion.permissions import require_can_manage
from zhijiao.domain.conversion.plan import CurriculumPlan, PlanKey
from zhijiao.domain.conversion.rules import (
    Agreement,
    RuleSet,
    check_against_plan,
    parse_rule_set,
    rule_set_to_dict,
)
from zhijiao.domain.errors import Conflict, NotFound, ValidationFailed
from zhijiao.services import clock
from zhijiao.services.conversion.plans import load_plan

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class RulesImport:
    plan: PlanKey
    added: list[tuple[str, int]] = field(default_factory=list)  # (rule id, version) newly published
    unchanged: int = 0
    agreements: int = 0


def rule_set_of(uow: SqlUnitOfWork, plan_id: int, plan: CurriculumPlan) -> RuleSet:
    """Every published version of the plan's rules, its caps and its institution's agreements."""
    return parse_rule_set(
        {
            "institution_id": plan.institution_id,
            "plan": {
                "institution_id": plan.institution_id,
                "major_code": plan.major_code,
                "cohort_year": plan.cohort_year,
            },
            "caps": uow.conversion.caps(plan_id),
            "rules": [doc for doc, _, _ in uow.conversion.rule_documents(plan_id)],
            "agreements": uow.conversion.agreement_documents(plan.institution_id),
        }
    )


class _Codes:
    """Institution codes ↔ ids for one unit of work (a file names institutions by 学校标识码 or
    统一社会信用代码; the stored documents keep ids). Both directions are remembered per call."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow
        self.ids: dict[str, int] = {}
        self.codes: dict[int, str] = {}

    def resolve(self, code: str, field: str) -> int:
        """`code` is already normalised (`rules_io.normalise_code`: zhijiao.domain.text.clean, upper case)."""
        if code not in self.ids:
            found = self.uow.institutions.find_by_codes(moe_code=code, uscc=code)
            if found is None or found.id is None:
                raise ValidationFailed(
                    f"{field}：找不到学校标识码或统一社会信用代码为 {code} 的机构", field=field,
                    code="institution_code_unknown",
                )  # fmt: skip
            self.ids[code] = found.id
        return self.ids[code]

    def code_of(self, institution_id: int) -> str:
        if institution_id not in self.codes:
            inst = self.uow.institutions.get(institution_id)
            code = None if inst is None else (inst.moe_code or inst.uscc)
            if not code:
                raise ValidationFailed(
                    f"机构 {institution_id} 没有学校标识码或统一社会信用代码，规则文件无法指明它",
                    field="institution", code="institution_code_missing",
                )  # fmt: skip
            self.codes[institution_id] = code
        return self.codes[institution_id]


def import_rules(
    uow: SqlUnitOfWork, principal: Principal, text: str, fmt: Format = "yaml", *, plan: PlanKey | None = None
) -> RulesImport:
    """Publish a rule set: new versions are added, a published version can never change (publish a new one)."""
    now = clock.utcnow()
    added: list[tuple[str, int]] = []
    unchanged = 0
    with uow:
        # the schema, the institution codes (resolved to ids), then the domain's checks; errors in Chinese
        rule_set = loads_rule_set(text, fmt, resolve=_Codes(uow).resolve)
        if plan is not None and rule_set.plan != plan:
            raise ValidationFailed(f"规则集属于培养方案 {rule_set.plan}，而不是 {plan}", field="plan")
        if rule_set.institution_id != rule_set.plan.institution_id:
            raise ValidationFailed("转换规则只能由培养方案所属院校发布", field="institution")
        data = rule_set_to_dict(rule_set)
        stored = load_plan(uow, rule_set.plan)
        institution = uow.institutions.get(rule_set.institution_id)
        assert institution is not None
        require_can_manage(principal, institution)
        check_against_plan(rule_set, stored.plan)
        for doc in data["rules"]:
            existing = uow.conversion.rule_document(stored.id, doc["id"], doc["version"])
            if existing is None:
                uow.conversion.add_rule(stored.id, doc, principal.actor, now)
                added.append((doc["id"], doc["version"]))
            elif existing != doc:
                raise Conflict(
                    f"规则 {doc['id']} 第{doc['version']}版已发布，不能修改；请以新版本号发布",
                    code="rule_published",
                )
            else:
                unchanged += 1
        uow.conversion.save_caps(stored.id, data["caps"], principal.actor, now)
        for agreement in data["agreements"]:
            _check_partner(uow, agreement["partner_id"])
            uow.conversion.save_agreement(rule_set.institution_id, agreement, principal.actor, now)
        uow.commit()
    return RulesImport(rule_set.plan, added, unchanged, len(data["agreements"]))


def _check_partner(uow: SqlUnitOfWork, partner_id: int) -> None:
    if uow.institutions.get(partner_id) is None:
        raise ValidationFailed(f"协议院校 {partner_id} 不存在", field="agreements.partner_id")


def published_rules(uow: SqlUnitOfWork, key: PlanKey) -> RuleSet:
    """Public: the plan's published rule set, every version (for export and for other institutions)."""
    with uow.read():
        stored = load_plan(uow, key)
        return rule_set_of(uow, stored.id, stored.plan)


def export_rules(uow: SqlUnitOfWork, key: PlanKey, fmt: Format = "yaml") -> tuple[str, int]:
    """Public: the plan's rule file (every version, institutions by code) and how many rule versions."""
    with uow.read():
        stored = load_plan(uow, key)
        rule_set = rule_set_of(uow, stored.id, stored.plan)
        return dumps_rule_set(rule_set, fmt, code_of=_Codes(uow).code_of), len(rule_set.rules)


def publication(uow: SqlUnitOfWork, key: PlanKey, on: date | None = None) -> dict[str, Any]:
    """Public, machine-readable: the rule set in the published schema, and which versions are in force."""
    on = on or clock.today()
    with uow.read():
        stored = load_plan(uow, key)
        rule_set = rule_set_of(uow, stored.id, stored.plan)
        published = max((at for _, _, at in uow.conversion.rule_documents(stored.id)), default=None)
        rule_file = to_file_data(rule_set_to_dict(rule_set), _Codes(uow).code_of)
    return {
        "schema": rules_schema()["$id"],
        "plan": str(key),
        "plan_name": stored.plan.name,
        "published_at": published,  # the API writes it as RFC 3339 with its offset
        "in_force_on": on.isoformat(),
        "in_force": [{"id": r.rule_id, "version": r.version} for r in rule_set.in_force(on)],
        "rule_set": rule_file,  # as a file names institutions: by code
    }


def save_agreement(uow: SqlUnitOfWork, principal: Principal, agreement: Agreement) -> Agreement:
    """学分互认协议: `agreement.institution_id` recognises outcomes issued by `agreement.partner_id`."""
    if not agreement.agreement_id.strip():
        raise ValidationFailed("协议编号不能为空", field="id")
    if agreement.effective_to is not None and agreement.effective_to < agreement.effective_from:
        raise ValidationFailed("失效日期早于生效日期", field="effective_to")
    if agreement.partner_id == agreement.institution_id:
        raise ValidationFailed("协议院校不能是本校", field="partner_id")
    doc = {
        "id": agreement.agreement_id.strip(),
        "partner_id": agreement.partner_id,
        "effective_from": agreement.effective_from.isoformat(),
        "effective_to": None if agreement.effective_to is None else agreement.effective_to.isoformat(),
        "rule_ids": sorted(agreement.rule_ids),
    }
    with uow:
        institution = uow.institutions.get(agreement.institution_id)
        if institution is None:
            raise NotFound("机构不存在", code="institution_not_found")
        require_can_manage(principal, institution)
        _check_partner(uow, agreement.partner_id)
        uow.conversion.save_agreement(agreement.institution_id, doc, principal.actor, clock.utcnow())
        uow.commit()
    return agreement


def list_agreements(uow: SqlUnitOfWork, institution_id: int) -> list[Agreement]:
    """An institution's agreements (public, like the rules they widen)."""
    with uow.read():
        docs = uow.conversion.agreement_documents(institution_id)
    return [
        Agreement(
            d["id"],
            institution_id,
            d["partner_id"],
            date.fromisoformat(d["effective_from"]),
            None if d["effective_to"] is None else date.fromisoformat(d["effective_to"]),
            frozenset(d["rule_ids"]),
        )
        for d in docs
    ]
