"""Credentials for exemptions and qualifications, and what revoking a source outcome does to them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.conftest import token_for
from tests.conversion_world import ConversionWorld, build
from tests.factories import World, national_id
from zhijiao.adapters.db.tables import learning_accounts
from zhijiao.adapters.signing.schema import schema_errors
from zhijiao.domain.credentials.verify import Verdict
from zhijiao.domain.creditbank.model import OutcomeDraft, OutcomeKind
from zhijiao.domain.errors import Conflict, Forbidden, NotFound
from zhijiao.services.conversion import applications, awards, exemptions
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials import verification
from zhijiao.services.credentials.issuers import IssuingSite
from zhijiao.services.creditbank import ledger, outcomes


@pytest.fixture
def cw(world: World) -> ConversionWorld:
    return build(world)


def site(world: World) -> IssuingSite:
    return IssuingSite.of(world.platform.settings)


def approve_certificate(cw: ConversionWorld) -> tuple[int, int]:
    """The 1+X certificate exempts H01 (R-WEB) and E01 (R-CLOUD): the two exemption ids."""
    world, uow = cw.world, cw.world.platform.uow
    view = applications.submit(
        uow(), world.p("learner"), cw.account_no, [cw.certificate.id or 0], ["H01", "E01"]
    )
    applications.start_review(uow(), world.p("school_staff"), view.id)
    made = {
        e.exemption.course_code: e.id
        for e in applications.approve(uow(), world.p("school_staff"), view.id).exemptions
    }
    return made["H01"], made["E01"]


def document(issued: credentials.IssuedCredential) -> dict:
    return json.loads(issued.di_json or "")


def test_exemption_credential_through_the_api(cw: ConversionWorld, client: TestClient) -> None:
    world = cw.world
    h01, _e01 = approve_certificate(cw)
    path = f"/api/v1/exemptions/{h01}/credential"
    for who in ("other_staff", "far_staff", "hn_admin", "certifier"):
        assert client.post(path, headers=token_for(client, who)).status_code == 404, who
    assert client.post(path).status_code == 401
    r = client.post(path, headers=token_for(client, "liming"))
    assert r.status_code == 201, r.text
    issued = credentials.get_credential(world.platform.uow(), world.p("learner"), r.json()["id"])
    assert issued.source_ref == f"exemption:{h01}" and issued.kind == "exemption"
    di = document(issued)
    assert schema_errors(di) == []
    achievement = di["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ext:Exemption" and achievement["humanCode"] == "H01"
    assert achievement["name"] == "Web前端开发（免修）" and di["credentialSubject"]["creditsEarned"] == 4
    assert "R-WEB" in achievement["criteria"]["narrative"] and world.school.name in di["issuer"]["name"]
    assert national_id(1) not in json.dumps(di, ensure_ascii=False)
    for raw in (issued.jws, issued.di_json or ""):
        assert verification.verify(world.platform.uow(), site(world), raw).verdict is Verdict.valid
    again = client.post(path, headers=token_for(client, "school_staff"))
    assert again.status_code == 201 and again.json()["id"] == issued.id
    assert (
        client.post("/api/v1/exemptions/999999/credential", headers=token_for(client, "liming")).status_code
        == 404
    )


def test_revoking_the_source_outcome_revokes_and_suspends(cw: ConversionWorld) -> None:
    world, uow, s = cw.world, cw.world.platform.uow, site(cw.world)
    h01, e01 = approve_certificate(cw)
    certificate = credentials.issue_for_outcome(uow(), world.p("certifier"), s, cw.certificate.id or 0)
    transcript = credentials.issue_transcript(uow(), world.p("learner"), s, cw.account_no)
    other = credentials.issue_for_outcome(uow(), world.p("other_staff"), s, cw.db_course.id or 0)
    exempt = awards.issue_for_exemption(uow(), world.p("school_staff"), s, h01)

    outcomes.revoke_outcome(uow(), world.p("certifier"), cw.certificate.id or 0, "证书被注销")

    verdicts = {
        c.id: verification.verify(uow(), s, c.jws).verdict for c in (certificate, transcript, other, exempt)
    }
    assert verdicts == {
        certificate.id: Verdict.revoked,  # issued for the outcome
        transcript.id: Verdict.revoked,  # bundles it
        other.id: Verdict.valid,
        exempt.id: Verdict.suspended,  # the exemption is flagged for review
    }
    assert verification.verify(uow(), s, exempt.di_json or "").verdict is Verdict.suspended
    with world.platform.uow().read() as u:
        entries = u.ledger.for_account(world.learner_account.id or 0)
    changes = {
        json.loads(e.payload)["credential_id"]: e
        for e in entries
        if e.action.value in ("cred_revoke", "cred_suspend")
    }
    assert set(changes) == {certificate.id, transcript.id, exempt.id}
    assert changes[certificate.id].action.value == "cred_revoke" and "证书被注销" in (
        changes[certificate.id].note or ""
    )
    assert changes[exempt.id].action.value == "cred_suspend" and "待复核" in (changes[exempt.id].note or "")
    assert ledger.verify_ledger(uow()).intact
    with pytest.raises(Conflict, match="待复核"):
        awards.issue_for_exemption(uow(), world.p("school_staff"), s, e01)
    with pytest.raises(Conflict):  # a revoked outcome gets no new credential either
        credentials.issue_for_outcome(uow(), world.p("certifier"), s, cw.certificate.id or 0)


def _complete_the_plan(cw: ConversionWorld) -> None:
    """Courses G01, B01, H02 and P01 from the school; H01 and E01 are exempted by the certificate."""
    world = cw.world
    for code, title in (
        ("G01", "思想道德与法治"),
        ("B01", "程序设计基础"),
        ("H02", "数据库应用"),
        ("P01", "岗位实习"),
    ):
        outcomes.record_outcome(world.platform.uow(), world.p("school_staff"), cw.account_no, OutcomeDraft(
            OutcomeKind.course, title, world.school.id or 0, date(2025, 6, 20), code=code, credits=Decimal(2),
            score=Decimal(80),
        ))  # fmt: skip


def test_qualification_only_when_every_requirement_is_met(cw: ConversionWorld, client: TestClient) -> None:
    world, uow, s = cw.world, cw.world.platform.uow, site(cw.world)
    path = f"/api/v1/accounts/{cw.account_no}/qualification-credential"
    approve_certificate(cw)
    r = client.post(path, headers=token_for(client, "school_staff"))
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert "尚未满足培养方案" in r.json()["title"] and "必修课程" in r.json()["title"]
    _complete_the_plan(cw)
    assert exemptions.audit_learner(uow(), world.p("school_staff"), cw.account_no).result.met
    with pytest.raises(Forbidden):  # a learner does not confer their own qualification
        awards.issue_qualification(uow(), world.p("learner"), s, cw.account_no)
    with pytest.raises(NotFound):
        awards.issue_qualification(uow(), world.p("far_staff"), s, cw.account_no)
    r = client.post(path, headers=token_for(client, "school_staff"), json={"plan": str(cw.key)})
    assert r.status_code == 201, r.text
    issued = credentials.get_credential(uow(), world.p("learner"), r.json()["id"])
    di = document(issued)
    assert schema_errors(di) == []
    achievement = di["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Diploma" and achievement["name"] == "计算机应用技术 2023级"
    assert (
        "必修课程" in achievement["criteria"]["narrative"]
        and "总学分" in achievement["criteria"]["narrative"]
    )
    assert di["credentialSubject"]["creditsEarned"] == 22.5
    assert verification.verify(uow(), s, issued.jws).verdict is Verdict.valid
    assert client.post(path, headers=token_for(client, "school_staff")).json()["id"] == issued.id


def test_cohort_issuance_includes_exemptions(cw: ConversionWorld) -> None:
    world, uow, s = cw.world, cw.world.platform.uow, site(cw.world)
    approve_certificate(cw)
    with world.platform.engine.begin() as c:
        c.execute(
            update(learning_accounts)
            .where(learning_accounts.c.id == world.learner_account.id)
            .values(cohort_year=2023)
        )
    staff = world.p("school_staff")
    done = credentials.issue_cohort(uow(), staff, s, institution_id=world.school.id or 0, cohort_year=2023)
    assert (done.accounts, done.issued, done.already) == (1, 2, 0)  # the school issued no outcome to him
    listed = credentials.list_credentials(uow(), staff, cw.account_no)
    assert sorted(c.source_ref or "" for c in listed) == sorted(
        f"exemption:{e.id}" for e in exemptions.account_exemptions(uow(), staff, cw.account_no)
    )
    again = credentials.issue_cohort(uow(), staff, s, institution_id=world.school.id or 0, cohort_year=2023)
    assert (again.issued, again.already) == (0, 2)
