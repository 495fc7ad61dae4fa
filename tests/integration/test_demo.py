"""The demo province: every kind of institution and outcome, valid codes and IDs, an intact ledger,
and the same province again from the same seed."""

from __future__ import annotations

import hashlib
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import case, select
from typer.testing import CliRunner

from tests.conftest import TEST_SECRET
from zhijiao.adapters.db.tables import institutions, learning_accounts, ledger_entries, outcomes, users
from zhijiao.bootstrap import Platform
from zhijiao.config import Settings, get_settings
from zhijiao.demo.build import DEMO_PASSWORD, build_demo, demo_usernames
from zhijiao.demo.catalogs import majors
from zhijiao.domain.conversion.application import ApplicationState
from zhijiao.domain.conversion.plan import CourseCategory
from zhijiao.domain.credentials.verify import Verdict
from zhijiao.domain.creditbank.model import InstitutionKind, OutcomeKind
from zhijiao.domain.identity import parse_national_id, validate_moe_code, validate_uscc
from zhijiao.services.conversion import applications, exemptions, rules
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials import issuers, verification
from zhijiao.services.creditbank.ledger import verify_ledger
from zhijiao.services.users import authenticate

SCHOOLS = {"secondary", "technician", "higher", "bachelor", "university", "open_university"}


def test_small_demo_province_is_complete_and_valid(platform: Platform) -> None:
    summary = build_demo(platform, scale="small", seed=7)
    assert summary.learners == 300 and summary.outcomes > 2000
    with platform.engine.connect() as c:
        insts = c.execute(select(institutions)).all()
        accounts = c.execute(select(learning_accounts)).all()
        kinds = {r.kind for r in c.execute(select(outcomes.c.kind).distinct())}
        certs = c.execute(
            select(outcomes.c.title, institutions.c.kind)
            .join(institutions, institutions.c.id == outcomes.c.issuer_id)
            .where(outcomes.c.kind == OutcomeKind.skill_certificate.value)
        ).all()
    assert {i.kind for i in insts} == {k.value for k in InstitutionKind}
    for inst in insts:
        assert validate_uscc(inst.uscc) == inst.uscc
        assert inst.region_code.startswith("44")
        if inst.kind in SCHOOLS:
            assert validate_moe_code(inst.moe_code) == inst.moe_code
    assert len(accounts) == 300
    catalog = {m.code for level in ("zhongzhi", "zhuanke", "benke") for m in majors(level)}
    for a in accounts:
        number = platform.vault.decrypt(a.id_number_enc)
        assert parse_national_id(number).birth_date == a.birth_date
        assert a.id_masked == number[:4] + "*" * 10 + number[-4:]
        if a.learner_type == "enrolled":
            assert a.major_code in catalog and 2020 <= a.cohort_year <= 2025
    assert {"enrolled", "adult"} == {a.learner_type for a in accounts}
    assert kinds == {k.value for k in OutcomeKind}
    assert certs and {kind for _, kind in certs} == {"certifier"}
    assert all(title.endswith("职业技能等级证书") for title, _ in certs)
    assert verify_ledger(platform.uow()).intact
    assert [u.username for u in summary.users] == [
        n for n in demo_usernames() if n in {u.username for u in summary.users}
    ]
    assert {u.role for u in summary.users} == {
        "国家级管理员",
        "省级管理员",
        "院校工作人员",
        "培训评价组织",
        "学习者",
    }
    learner = authenticate(platform.uow(), "learner1", DEMO_PASSWORD)
    assert learner is not None and learner.account_id is not None


def test_demo_shows_conversion_and_credentials(platform: Platform) -> None:
    """learner1's plan and rules, applications in every state with an approved exemption, and
    credentials that verify, issued by did:key as in demo mode; the ledger stays intact."""
    demo = Platform(platform.settings.model_copy(update={"demo": True}))
    summary = build_demo(demo, scale="small", seed=7)
    shown = summary.showcase
    assert shown is not None and shown.plans == 3 and shown.suggestions > 0
    assert {s: n for s, n in shown.applications.items() if n} == {
        ApplicationState.submitted: 1, ApplicationState.under_review: 1,
        ApplicationState.approved: 1, ApplicationState.rejected: 1,
    }  # fmt: skip
    assert "学分转换与凭证" in shown.describe()
    learner = authenticate(demo.uow(), "learner1", DEMO_PASSWORD)
    staff = authenticate(demo.uow(), "staff1", DEMO_PASSWORD)
    assert learner is not None and staff is not None
    context = applications.apply_context(demo.uow(), learner)
    plan = context.plan
    assert plan.institution_id == staff.institution_id
    assert {c.category for c in plan.courses} == set(CourseCategory)
    codes = {c.code for c in plan.courses}
    taken = {o.code for o in context.outcomes if o.code}
    assert taken and taken <= codes  # the audit counts the learner's real course outcomes
    rule_set = rules.published_rules(demo.uow(), plan.key)
    assert rule_set.caps.plan_ratio == Fraction(1, 3)
    assert {s.kind.value for r in rule_set.rules for s in r.sources} >= {
        "skill_certificate",
        "competition_award",
    }

    own = applications.list_applications(demo.uow(), learner)
    queue = applications.list_applications(demo.uow(), staff)
    assert [v.application.state for v in own if v.application.state is ApplicationState.approved]
    assert {v.application.state for v in queue} >= {ApplicationState.approved}
    everywhere = [v for n in (1, 2, 3) for v in applications.list_applications(
        demo.uow(), authenticate(demo.uow(), f"staff{n}", DEMO_PASSWORD))]  # fmt: skip
    assert len(everywhere) == sum(shown.applications.values())  # each in exactly one school's queue
    assert all(v.account_no == context.account.account_no for v in own)  # a learner sees only their own
    rejected = [v for v in everywhere if v.application.state is ApplicationState.rejected]
    assert rejected and rejected[0].application.history[-1].reason
    approved = next(v for v in own if v.application.state is ApplicationState.approved)
    with demo.engine.connect() as c:
        exempt = c.execute(
            select(ledger_entries.c.id).where(
                ledger_entries.c.account_id == learner.account_id, ledger_entries.c.action == "exempt"
            )
        ).all()
    assert len(exempt) == len(approved.exemptions) == 1
    granted = exemptions.account_exemptions(demo.uow(), learner, context.account.account_no)
    assert granted and all(e.status == "active" for e in granted)
    audit = exemptions.audit_learner(demo.uow(), learner, context.account.account_no)
    assert audit.result.exempted_credits > 0 and audit.result.credits > audit.result.exempted_credits

    site = issuers.IssuingSite.of(demo.settings)
    issued = credentials.list_credentials(demo.uow(), learner, context.account.account_no)
    kinds = {c.kind for c in issued}
    assert {"skill_certificate", "exemption", "transcript"} <= kinds
    for c in issued:
        if c.kind in ("skill_certificate", "exemption", "transcript"):
            report = verification.verify(demo.uow(), site, c.jws)
            assert report.verdict is Verdict.valid, report.checks()
    with demo.uow().read() as uow:
        assert all(i.did.startswith("did:key:") for i in uow.credentials.issuers() if i.did)
    assert verify_ledger(demo.uow()).intact
    demo.dispose()


def _digest(url: str) -> str:
    """Everything the seed decides; timestamps, nonces and hashes over timestamps left out."""
    p = Platform(Settings(database_url=url, secret_key=TEST_SECRET))
    h = hashlib.sha256()
    with p.engine.connect() as c:
        for q in (
            select(institutions).order_by(institutions.c.id),
            select(*(col for col in learning_accounts.c if col.name not in ("id_number_enc", "created_at"))).order_by(learning_accounts.c.id),
            select(*(col for col in outcomes.c if col.name != "created_at")).order_by(outcomes.c.id),
            select(ledger_entries.c.account_id, ledger_entries.c.seq, ledger_entries.c.action, ledger_entries.c.outcome_id,
                   case((ledger_entries.c.action.like("cred_%"), ""), else_=ledger_entries.c.payload)).order_by(ledger_entries.c.id),
            select(users.c.username, users.c.role, users.c.institution_id, users.c.province_code, users.c.account_id).order_by(users.c.id),
        ):  # fmt: skip
            for row in c.execute(q):
                h.update(repr(tuple(v for k, v in row._mapping.items() if k != "created_at")).encode())
    p.dispose()
    return h.hexdigest()


def test_same_seed_same_province(tmp_path: Path, sqlite_template: Path) -> None:
    digests = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        path = tmp_path / f"{name}.db"
        shutil.copy(sqlite_template, path)
        p = Platform(Settings(database_url=f"sqlite:///{path}", secret_key=TEST_SECRET))
        build_demo(p, scale="small", seed=seed, learners=60)
        p.dispose()
        digests.append(_digest(f"sqlite:///{path}"))
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_cli_if_empty_lists_users_without_regenerating(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhijiao.cli.main import app

    monkeypatch.setenv("ZHIJIAO_DATABASE_URL", database_url)
    monkeypatch.setenv("ZHIJIAO_SECRET_KEY", TEST_SECRET)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(app, ["demo", "--scale", "small", "--learners", "30", "--seed", "3"])
        assert first.exit_code == 0, first.output
        assert (
            "演示省份已生成" in first.output and "gd_admin" in first.output and DEMO_PASSWORD in first.output
        )
        assert "学分转换与凭证" in first.output
        again = runner.invoke(app, ["demo", "--if-empty"])
        assert again.exit_code == 0, again.output
        assert "已有数据" in again.output and "learner1" in again.output
        refused = runner.invoke(app, ["demo"])
        assert refused.exit_code == 1
        bad = runner.invoke(app, ["demo", "--province", "99"])
        assert bad.exit_code == 1  # data exists: refused before anything else
    finally:
        get_settings.cache_clear()
    p = Platform(Settings(database_url=database_url, secret_key=TEST_SECRET))
    with p.engine.connect() as c:
        assert len(c.execute(select(learning_accounts.c.id)).all()) == 30
    p.dispose()
