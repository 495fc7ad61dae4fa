"""Reissuing the credentials of the previous release once, for the final VC 2.0 context and the
`revocation` status purpose (docs/decisions/0013), on both databases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests import bitstring_spec
from tests.factories import World
from tests.integration.legacy_credentials import make_legacy
from tests.integration.test_credentials import record, site
from zhijiao.cli import main
from zhijiao.domain.credentials.records import KeyAlgorithm
from zhijiao.domain.credentials.verify import CheckOutcome, CredentialState, Verdict
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials import verification
from zhijiao.services.credentials.reissue import pending, reissue_legacy
from zhijiao.services.creditbank.ledger import verify_ledger


def _standard_valid(world: World, document: dict) -> bool:
    """What a verifier that knows only the Bitstring Status List spec concludes about the status."""
    url = document["credentialStatus"]["statusListCredential"]
    list_id = site(world).status_list_id(url)
    assert list_id is not None
    listed = verification.status_list_credential(world.platform.uow(), site(world), list_id)
    return bitstring_spec.is_valid({url: listed}, document)


def test_reissue_keeps_ids_fixes_proofs_and_status_once(world: World) -> None:
    p, s, staff = world.platform, site(world), world.p("school_staff")
    kept = credentials.issue_for_outcome(p.uow(), staff, s, record(world, "甲"))
    rs256 = credentials.IssueOptions(algorithm=KeyAlgorithm.rs256)
    revoked = credentials.issue_for_outcome(p.uow(), staff, s, record(world, "乙", code="B"), rs256)
    suspended = credentials.issue_for_outcome(p.uow(), staff, s, record(world, "丙", code="C"))
    transcript = credentials.issue_transcript(
        p.uow(), world.p("learner"), s, world.learner_account.account_no, [kept.outcome_id or 0]
    )
    credentials.change_status(p.uow(), staff, revoked.id, CredentialState.revoked, "证书作废")
    credentials.change_status(p.uow(), staff, suspended.id, CredentialState.suspended, "核查中")
    legacy = make_legacy(world)

    # what was wrong: draft-context proofs fail with the final context; a standard status check
    # cannot see a revocation expressed as a `message`
    assert verification.verify(p.uow(), s, legacy[kept.id].di_json or "").verdict is Verdict.tampered
    assert _standard_valid(world, json.loads(legacy[revoked.id].di_json or ""))
    assert pending(p.uow()) == (2, 4)

    report = reissue_legacy(p.uow(), s, "system")
    assert (report.lists, report.achievements, report.transcripts) == (2, 3, 1)
    assert (report.revoked, report.suspended, report.state_corrected) == (1, 1, 0)
    assert pending(p.uow()) == (0, 0)

    with p.uow().read() as uow:
        now = {
            c.id: c for c in uow.credentials.credentials([kept.id, revoked.id, suspended.id, transcript.id])
        }
    expected = {kept.id: Verdict.valid, revoked.id: Verdict.revoked, suspended.id: Verdict.suspended,
                transcript.id: Verdict.valid}  # fmt: skip
    for cred_id, verdict in expected.items():
        new, old = now[cred_id], legacy[cred_id]
        document = credentials.document_of(new)
        assert document["id"] == f"urn:uuid:{cred_id}"
        assert document["validFrom"] == credentials.document_of(old)["validFrom"]
        assert document["credentialStatus"]["statusPurpose"] == "revocation"
        assert _standard_valid(world, document) is (verdict is Verdict.valid)
        for raw in filter(None, (new.jws, new.di_json)):
            checked = verification.verify(p.uow(), s, raw)
            assert checked.verdict is verdict, (cred_id, checked.checks())
    assert now[revoked.id].kid.endswith("#rsa-1") and now[revoked.id].jws.count(".") == 2
    bundled = credentials.document_of(now[transcript.id])["credentialSubject"]["verifiableCredential"]
    assert bundled == [json.loads(now[kept.id].di_json or "")]

    # an old copy is not taken as valid: its status entry no longer matches the list
    old_copy = verification.verify(p.uow(), s, legacy[kept.id].jws)
    assert old_copy.verdict is Verdict.incomplete and "重新签发" in old_copy.status.reason
    assert old_copy.status.outcome is CheckOutcome.not_checked

    with p.uow().read() as uow:
        entries = uow.ledger.for_account(world.learner_account.id or 0)
    reissued = [json.loads(e.payload)["credential_id"] for e in entries if e.action.value == "cred_reissue"]
    assert sorted(reissued) == sorted(expected)
    assert verify_ledger(p.uow()).intact

    # once only; and the reissued suspension can still be lifted
    assert reissue_legacy(p.uow(), s, "system").credentials == 0
    credentials.change_status(p.uow(), staff, suspended.id, CredentialState.active, "核查完毕")
    with p.uow().read() as uow:
        lifted = uow.credentials.credential(suspended.id)
    assert lifted is not None and _standard_valid(world, credentials.document_of(lifted))
    assert verification.verify(p.uow(), s, lifted.jws).verdict is Verdict.valid


def test_reissue_command_reports_what_it_did(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main, "platform", lambda: world.platform)
    runner = CliRunner()
    p, s, staff = world.platform, site(world), world.p("school_staff")
    issued = credentials.issue_for_outcome(p.uow(), staff, s, record(world, "甲"))
    credentials.change_status(p.uow(), staff, issued.id, CredentialState.revoked, "证书作废")
    make_legacy(world)
    dry = runner.invoke(main.app, ["credential", "reissue", "--dry-run"])
    assert dry.exit_code == 0 and "1 个状态列表，1 份凭证" in dry.output, dry.output
    done = runner.invoke(main.app, ["credential", "reissue"])
    assert done.exit_code == 0, done.output
    assert "1 个状态列表，1 份成果凭证，0 份成绩单凭证（其中已撤销 1" in done.output
    again = runner.invoke(main.app, ["--lang", "en", "credential", "reissue"])
    assert "0 status lists" in again.output, again.output
