from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.credentials import factories as f
from zhijiao.adapters.signing.schema import schema_errors
from zhijiao.domain.credentials.compose import (
    Association,
    AssociationType,
    HashedSubject,
    TranscriptDraft,
    assert_no_national_id,
    compose_achievement_credential,
    compose_clr_credential,
    identity_hash,
)
from zhijiao.domain.credentials.status_list import StatusListEntry, StatusPurpose
from zhijiao.domain.credentials.vocab import ACHIEVEMENT_TYPES, AchievementKind
from zhijiao.domain.errors import ValidationFailed

DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
NATIONAL_ID = "11010519491231002X"  # a checksum-valid example number


@pytest.mark.parametrize("kind", list(AchievementKind))
@pytest.mark.parametrize("subject", [f.account_subject(), f.hashed_subject()], ids=["account", "hashed"])
def test_every_composed_credential_validates_against_the_official_schema(kind, subject) -> None:
    credential = compose_achievement_credential(f.draft(DID, kind=kind, subject=subject, status_index=7))
    assert schema_errors(credential) == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["achievement"]["achievementType"] == ACHIEVEMENT_TYPES[kind]


def test_account_subject_is_the_account_urn_and_credits_are_numbers() -> None:
    credential = compose_achievement_credential(f.draft(DID))
    subject = credential["credentialSubject"]
    assert subject["id"].startswith("urn:zhijiao:account:44")
    assert subject["creditsEarned"] == 6
    assert subject["achievement"]["creditsAvailable"] == 6


def test_hashed_subject_follows_ob_identity_hash() -> None:
    credential = compose_achievement_credential(f.draft(DID, subject=f.hashed_subject()))
    (identity,) = credential["credentialSubject"]["identifier"]
    assert identity["hashed"] is True
    assert identity["identityHash"] == identity_hash(f.hashed_subject().identifier, identity["salt"])
    assert identity["identityHash"].startswith("sha256$") and len(identity["identityHash"]) == 7 + 64
    assert f.hashed_subject().identifier not in json.dumps(credential)


def test_national_id_is_refused_as_subject() -> None:
    with pytest.raises(ValidationFailed):
        compose_achievement_credential(f.draft(DID, subject=HashedSubject(NATIONAL_ID, "x" * 16)))
    with pytest.raises(ValidationFailed):
        compose_achievement_credential(
            f.draft(DID, subject=HashedSubject("a@b.cn", "x" * 16, identity_type="nationalIdentityNumber"))
        )


def test_national_id_anywhere_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        assert_no_national_id({"credentialSubject": {"narrative": f"身份证 {NATIONAL_ID} 的学员"}})


@settings(max_examples=50, deadline=None)
@given(serial=st.integers(min_value=0, max_value=9_999_999_999), hashed=st.booleans())
def test_no_national_id_ever_appears(serial: int, hashed: bool) -> None:
    subject = f.hashed_subject(serial) if hashed else f.account_subject(serial)
    credential = compose_achievement_credential(f.draft(DID, serial=serial, subject=subject))
    assert_no_national_id(credential)  # does not raise
    assert NATIONAL_ID not in json.dumps(credential)


def test_naive_datetimes_and_inverted_windows_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        compose_achievement_credential(f.draft(DID, valid_until=datetime(2020, 1, 1, tzinfo=UTC)))


def test_two_status_entries_make_a_vc2_array_which_the_ob_303_schema_rejects() -> None:
    """Documented limit: OB 3.0.3's JSON Schema allows one credentialStatus object only."""
    base = f.draft(DID)
    entries = (
        StatusListEntry(f.STATUS_URL, 3, StatusPurpose.revocation),
        StatusListEntry(f.SUSPENSION_URL, 3, StatusPurpose.suspension),
    )
    credential = compose_achievement_credential(
        type(base)(**{**{s: getattr(base, s) for s in base.__slots__}, "status": entries})
    )
    assert [e["statusPurpose"] for e in credential["credentialStatus"]] == ["revocation", "suspension"]
    assert any("credentialStatus" in e for e in schema_errors(credential))


def _transcript(selection: set[str] | None) -> dict:
    course = compose_achievement_credential(f.draft(DID, serial=1, kind=AchievementKind.course))
    cert = compose_achievement_credential(f.draft(DID, serial=2))
    exemption = compose_achievement_credential(f.draft(DID, serial=3, kind=AchievementKind.exemption))
    links = [
        Association(
            f.achievement(AchievementKind.skill_certificate).id,
            f.achievement(AchievementKind.exemption).id,
            AssociationType.is_related_to,
        ),
        Association(
            f.achievement(AchievementKind.exemption).id,
            f.achievement(AchievementKind.course).id,
            AssociationType.exempt_from,
        ),
    ]
    return compose_clr_credential(
        TranscriptDraft(
            id="urn:uuid:11111111-0000-4000-8000-000000000001",
            issuer=f.issuer(DID),
            subject=f.account_subject(1),
            name="学分银行成绩单",
            valid_from=f.ISSUED,
            credentials=[course, cert, exemption],
            associations=links,
            selection=selection,
        )
    )


def test_transcript_bundles_credentials_with_associations() -> None:
    clr = _transcript(None)
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    subject = clr["credentialSubject"]
    assert len(subject["verifiableCredential"]) == 3
    assert [a["associationType"] for a in subject["association"]] == ["isRelatedTo", "exemptFrom"]
    for embedded in subject["verifiableCredential"]:
        assert schema_errors(embedded) == []


def test_transcript_selection_keeps_only_chosen_credentials_and_their_links() -> None:
    chosen = {
        "urn:uuid:00000000-0000-4000-8000-000000000002",
        "urn:uuid:00000000-0000-4000-8000-000000000003",
    }
    subject = _transcript(chosen)["credentialSubject"]
    assert {c["id"] for c in subject["verifiableCredential"]} == chosen
    assert [a["associationType"] for a in subject["association"]] == ["isRelatedTo"]
    with pytest.raises(ValidationFailed):
        _transcript({"urn:uuid:not-in-account"})
