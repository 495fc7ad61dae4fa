"""Issuing, verifying, rotating and revoking credentials through the services, on both databases."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import serialization
from pyld import jsonld

from tests import bitstring_spec
from tests.factories import World, national_id
from zhijiao.adapters.signing.data_integrity import hash_data
from zhijiao.adapters.signing.jsonld import PINNED_CONTEXTS
from zhijiao.adapters.signing.multibase import from_multibase_b58
from zhijiao.adapters.signing.schema import schema_errors
from zhijiao.domain.credentials.records import KeyAlgorithm
from zhijiao.domain.credentials.verify import CheckOutcome, CredentialState, Verdict
from zhijiao.domain.creditbank.model import Grade, Level, OutcomeDraft, OutcomeKind
from zhijiao.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from zhijiao.services import clock
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials import issuers, verification
from zhijiao.services.creditbank import outcomes
from zhijiao.services.creditbank.ledger import verify_ledger

CONTEXTS = __import__("pathlib").Path(__file__).parents[2] / "src/zhijiao/adapters/signing/contexts"


def site(world: World) -> issuers.IssuingSite:
    return issuers.IssuingSite.of(world.platform.settings)


def record(world: World, title: str = "Web 前端开发", *, level: Level | None = Level.intermediate, by: str = "school_staff", issuer_id: int | None = None, code: str | None = "WEB-2") -> int:  # fmt: skip
    draft = OutcomeDraft(
        kind=OutcomeKind.skill_certificate if level else OutcomeKind.competition_award,
        title=title,
        issuer_id=issuer_id or world.school.id or 0,
        obtained_on=date(2024, 6, 1),
        code=code,
        level=level,
        grade=Grade.good,
    )
    o = outcomes.record_outcome(
        world.platform.uow(), world.p(by), world.learner_account.account_no, draft, world.knows_learner()
    )
    assert o.id is not None
    return o.id


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _loader(url: str, options: object = None) -> dict:
    document = json.loads((CONTEXTS / PINNED_CONTEXTS[url]).read_text("utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def test_outcome_credential_is_schema_valid_private_and_verifies_both_ways(world: World) -> None:
    p = world.platform
    issued = credentials.issue_for_outcome(p.uow(), world.p("school_staff"), site(world), record(world))
    di = json.loads(issued.di_json or "")
    header, payload, signature = issued.jws.split(".")
    jws_payload = json.loads(_b64(payload))
    for document in (di, jws_payload):
        assert schema_errors(document) == []
        text = json.dumps(document, ensure_ascii=False)
        assert national_id(1) not in text and world.learner_account.name not in text
        assert (
            document["credentialSubject"]["id"] == f"urn:zhijiao:account:{world.learner_account.account_no}"
        )
        assert document["credentialStatus"]["statusPurpose"] == "revocation"
        assert "statusSize" not in document["credentialStatus"]
    for raw in (issued.jws, issued.di_json or "", di):
        report = verification.verify(p.uow(), site(world), raw)
        assert report.verdict is Verdict.valid, report.checks()
        assert all(c.outcome is CheckOutcome.passed for c in report.checks().values())

    # independent check 1: raw `cryptography` over the JWS with the key from the DID document
    did_doc = issuers.did_document(p.uow(), site(world), world.school.id)
    kid = json.loads(_b64(header))["kid"]
    assert kid in did_doc["assertionMethod"]
    with p.uow().read() as uow:
        pem = uow.credentials.key_by_kid(kid).public_key_pem  # type: ignore[union-attr]
    public = serialization.load_pem_public_key(pem.encode())
    public.verify(_b64(signature), f"{header}.{payload}".encode())  # type: ignore[union-attr,call-arg]

    # independent check 2: pyld-recomputed N-Quads, hashed and checked with raw cryptography
    (proof,) = di["proof"]
    config = {"@context": di["@context"], **{k: v for k, v in proof.items() if k != "proofValue"}}
    unsecured = {k: v for k, v in di.items() if k != "proof"}
    opts = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _loader}
    import hashlib

    digest = (
        hashlib.sha256(jsonld.normalize(config, opts).encode()).digest()
        + hashlib.sha256(jsonld.normalize(unsecured, opts).encode()).digest()
    )
    assert digest == hash_data(config, di)
    with p.uow().read() as uow:
        ed_pem = uow.credentials.key_by_kid(proof["verificationMethod"]).public_key_pem  # type: ignore[union-attr]
    serialization.load_pem_public_key(ed_pem.encode()).verify(from_multibase_b58(proof["proofValue"]), digest)  # type: ignore[union-attr,call-arg]


def test_rs256_and_hashed_subject(world: World) -> None:
    options = credentials.IssueOptions(algorithm=KeyAlgorithm.rs256, hashed_subject=True)
    issued = credentials.issue_for_outcome(
        world.platform.uow(), world.p("school_staff"), site(world), record(world), options
    )
    assert json.loads(_b64(issued.jws.split(".")[0]))["alg"] == "RS256"
    subject = json.loads(issued.di_json or "")["credentialSubject"]
    assert "id" not in subject and subject["identifier"][0]["identityHash"].startswith("sha256$")
    assert verification.verify(world.platform.uow(), site(world), issued.jws).verdict is Verdict.valid


def test_transcript_selection_holds_exactly_the_chosen_outcomes(world: World) -> None:
    first, second, third = (
        record(world, "甲"),
        record(world, "乙", code="B"),
        record(world, "丙", level=None, code=None),
    )
    issued = credentials.issue_transcript(
        world.platform.uow(),
        world.p("learner"),
        site(world),
        world.learner_account.account_no,
        [first, third],
    )
    clr = json.loads(_b64(issued.jws.split(".")[1]))
    bundled = clr["credentialSubject"]["verifiableCredential"]
    names = sorted(c["credentialSubject"]["achievement"]["name"] for c in bundled)
    assert names == ["丙", "甲（中级）"] and issued.selection == (first, third)
    report = verification.verify(world.platform.uow(), site(world), issued.jws)
    assert report.verdict is Verdict.valid, report.checks()
    as_json = verification.verify(world.platform.uow(), site(world), clr)
    assert as_json.signature.outcome is CheckOutcome.not_checked and "JWS" in as_json.signature.reason
    with pytest.raises(ValidationFailed, match=str(second + 1000)):
        credentials.issue_transcript(
            world.platform.uow(),
            world.p("learner"),
            site(world),
            world.learner_account.account_no,
            [second + 1000],
        )


def test_rotation_keeps_old_credentials_verifiable(world: World) -> None:
    s = site(world)
    old = credentials.issue_for_outcome(world.platform.uow(), world.p("school_staff"), s, record(world, "旧"))
    issuers.rotate_keys(world.platform.uow(), world.p("school_staff"), s, world.school.id)
    new = credentials.issue_for_outcome(
        world.platform.uow(), world.p("school_staff"), s, record(world, "新", code="N")
    )
    assert old.kid != new.kid and new.kid.endswith("#ed25519-2")
    doc = issuers.did_document(world.platform.uow(), s, world.school.id)
    assert {old.kid, new.kid} <= set(doc["assertionMethod"])
    for c in (old, new):
        assert verification.verify(world.platform.uow(), s, c.jws).verdict is Verdict.valid
        assert verification.verify(world.platform.uow(), s, c.di_json or "").verdict is Verdict.valid
    with pytest.raises(Forbidden):
        issuers.rotate_keys(world.platform.uow(), world.p("other_staff"), s, world.school.id)


def test_revoke_suspend_reinstate_and_the_ledger(world: World) -> None:
    p, s = world.platform, site(world)
    issued = credentials.issue_for_outcome(p.uow(), world.p("school_staff"), s, record(world))
    credentials.change_status(
        p.uow(), world.p("school_staff"), issued.id, CredentialState.suspended, "核查中"
    )
    assert verification.verify(p.uow(), s, issued.jws).verdict is Verdict.suspended
    credentials.change_status(p.uow(), world.p("school_staff"), issued.id, CredentialState.active, "核查完毕")
    assert verification.verify(p.uow(), s, issued.jws).verdict is Verdict.valid
    with pytest.raises(Forbidden):
        credentials.change_status(p.uow(), world.p("learner"), issued.id, CredentialState.revoked, "x")
    # out of scope: the same 404 as a credential that does not exist, for another school, a
    # certifier and another province's admin (issue 8 item 3, decision 0016)
    for outsider in ("other_staff", "certifier", "hn_admin"):
        with pytest.raises(NotFound):
            credentials.change_status(p.uow(), world.p(outsider), issued.id, CredentialState.revoked, "x")
    credentials.change_status(
        p.uow(), world.p("school_staff"), issued.id, CredentialState.revoked, "证书造假"
    )
    report = verification.verify(p.uow(), s, issued.di_json or "")
    assert report.verdict is Verdict.revoked and "撤销" in report.status.reason
    with pytest.raises(Conflict):
        credentials.change_status(p.uow(), world.p("school_staff"), issued.id, CredentialState.active, "x")
    with p.uow().read() as uow:
        entries = uow.ledger.for_account(world.learner_account.id or 0)
    revoke = entries[-1]
    assert revoke.action.value == "cred_revoke" and revoke.note == "证书造假"
    assert json.loads(revoke.payload)["credential_id"] == issued.id
    assert [e.action.value for e in entries[-3:]] == ["cred_suspend", "cred_reinstate", "cred_revoke"]
    assert verify_ledger(p.uow()).intact

    # the published list, read by a check written from the Bitstring Status List spec
    listed = verification.status_list_credential(p.uow(), s, issued.status_list_id)
    entry = json.loads(issued.di_json or "")["credentialStatus"]
    assert bitstring_spec.status_value(listed, entry) == 1
    assert not bitstring_spec.is_valid(
        {entry["statusListCredential"]: listed}, json.loads(issued.di_json or "")
    )
    assert verification.verify(p.uow(), s, listed).signature.outcome is CheckOutcome.passed


def test_a_standard_verifier_sees_suspended_as_not_valid_and_reinstated_as_valid(world: World) -> None:
    p, s = world.platform, site(world)
    issued = credentials.issue_for_outcome(p.uow(), world.p("school_staff"), s, record(world))
    document = json.loads(issued.di_json or "")
    url = document["credentialStatus"]["statusListCredential"]

    def standard_verdict() -> bool:
        listed = verification.status_list_credential(p.uow(), s, issued.status_list_id)
        return bitstring_spec.is_valid({url: listed}, document)

    assert standard_verdict()
    credentials.change_status(
        p.uow(), world.p("school_staff"), issued.id, CredentialState.suspended, "核查中"
    )
    assert not standard_verdict()
    report = verification.verify(p.uow(), s, issued.jws)
    assert report.verdict is Verdict.suspended and "暂停" in report.status.reason
    credentials.change_status(p.uow(), world.p("school_staff"), issued.id, CredentialState.active, "核查完毕")
    assert standard_verdict()


def test_access_to_issuing(world: World) -> None:
    s = site(world)
    outcome_id = record(world)
    for other in ("other_staff", "far_staff", "hn_admin", "certifier"):
        with pytest.raises(NotFound):
            credentials.issue_for_outcome(world.platform.uow(), world.p(other), s, outcome_id)
    mine = credentials.issue_for_outcome(world.platform.uow(), world.p("learner"), s, outcome_id)
    assert credentials.get_credential(world.platform.uow(), world.p("learner"), mine.id).id == mine.id
    with pytest.raises(NotFound):
        credentials.get_credential(world.platform.uow(), world.p("far_staff"), mine.id)
    with pytest.raises(NotFound):
        credentials.issue_transcript(
            world.platform.uow(), world.p("far_staff"), s, world.learner_account.account_no
        )


def test_expired_unknown_and_tampered(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    p, s = world.platform, site(world)
    later = clock.utcnow() + timedelta(days=1)
    issued = credentials.issue_for_outcome(
        p.uow(), world.p("school_staff"), s, record(world), credentials.IssueOptions(valid_until=later)
    )
    assert (
        verification.verify(p.uow(), s, issued.jws, now=later + timedelta(seconds=1)).verdict
        is Verdict.expired
    )
    di = json.loads(issued.di_json or "")
    di["credentialSubject"]["creditsEarned"] = 99
    assert verification.verify(p.uow(), s, di).verdict is Verdict.tampered
    assert verification.verify(p.uow(), s, "not a credential").verdict is Verdict.malformed
    assert verification.verify(p.uow(), s, b"\xff\xfe").verdict is Verdict.malformed


def test_cohort_issuance_is_idempotent_with_progress(world: World) -> None:
    from zhijiao.services.creditbank import accounts

    staff = world.p("school_staff")
    made = []
    for n in range(3):
        acc = accounts.open_account(world.platform.uow(), staff, name=f"学生{n}", id_type=__import__("zhijiao.domain.identity", fromlist=["IdType"]).IdType.national_id, id_number=national_id(10 + n), institution_id=world.school.id)  # fmt: skip
        made.append(acc)
        draft = OutcomeDraft(
            kind=OutcomeKind.course,
            title="机械制图",
            issuer_id=world.school.id or 0,
            obtained_on=date(2024, 1, 5),
            credits=Decimal(3),
        )
        outcomes.record_outcome(world.platform.uow(), staff, acc.account_no, draft)
    eng = world.platform.engine
    from sqlalchemy import update

    from zhijiao.adapters.db.tables import learning_accounts

    with eng.begin() as c:
        c.execute(
            update(learning_accounts)
            .where(learning_accounts.c.id.in_([a.id for a in made]))
            .values(cohort_year=2025, major_code="460104")
        )
    seen: list[tuple[int, int]] = []
    result = credentials.issue_cohort(
        world.platform.uow(),
        staff,
        site(world),
        institution_id=world.school.id or 0,
        cohort_year=2025,
        major_code="460104",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert (result.accounts, result.issued, result.already) == (3, 3, 0) and seen[-1] == (3, 3)
    again = credentials.issue_cohort(
        world.platform.uow(), staff, site(world), institution_id=world.school.id or 0, cohort_year=2025
    )
    assert (again.issued, again.already) == (0, 3)
    with pytest.raises(Forbidden):
        credentials.issue_cohort(
            world.platform.uow(),
            world.p("other_staff"),
            site(world),
            institution_id=world.school.id or 0,
            cohort_year=2025,
        )
    assert verify_ledger(world.platform.uow()).intact


def test_a_pdf_view_reuses_its_transcript_until_something_changes(world: World) -> None:
    p, s, no = world.platform, site(world), world.learner_account.account_no
    first, second = record(world, "甲"), record(world, "乙", code="B")

    def view(who: str = "learner", ids: tuple[int, ...] = (first, second)) -> str | None:
        made = credentials.transcript_for_view(p.uow(), world.p(who), s, no, list(ids))
        return made.id if made is not None else None

    issued = view()
    assert issued is not None and view("school_staff") == issued
    assert view(ids=(first,)) not in (None, issued)  # another selection, another credential
    assert view() == issued
    outcomes.correct_outcome(p.uow(), world.p("school_staff"), second, {"title": "乙（更正）"}, "名称有误")
    corrected = view()
    assert corrected not in (None, issued)
    with p.uow().read() as uow:
        bundled = uow.credentials.live_for_outcomes([first])[first]
    credentials.change_status(
        p.uow(), world.p("school_staff"), bundled.id, CredentialState.suspended, "核查中"
    )
    assert view() == corrected  # a new one would bundle the same suspended credential
    credentials.change_status(
        p.uow(), world.p("school_staff"), bundled.id, CredentialState.revoked, "核查不实"
    )
    assert view() not in (None, corrected)
    assert view(ids=()) is None  # nothing shown, nothing signed (partial views: test_transcript_pdf)
