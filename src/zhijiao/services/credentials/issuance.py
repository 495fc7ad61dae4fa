"""Issuing verifiable credentials (可验证凭证) and changing their status.

The pipeline for every credential: check access → compose (domain) → allocate a status entry →
sign (VC-JOSE JWS; Data Integrity eddsa-rdfc-2022 for AchievementCredentials) → store → ledger.
Transcripts (CLR) carry only the JWS: the CLR JSON-LD context is not pinned for offline use.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any

from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.adapters.signing.jose import sign_jws
from zhijiao.domain.access import Principal, Role, require_can_record
from zhijiao.domain.credentials.compose import (
    AccountSubject,
    AchievementCredentialDraft,
    AchievementSpec,
    Association,
    AssociationType,
    HashedSubject,
    Subject,
    TranscriptDraft,
    compose_achievement_credential,
    compose_clr_credential,
)
from zhijiao.domain.credentials.records import CredentialKind, IssuedCredential, IssuerRecord, KeyAlgorithm
from zhijiao.domain.credentials.status_list import MIN_ENTRIES, StatusList, StatusListEntry, StatusPurpose
from zhijiao.domain.credentials.verify import CredentialState
from zhijiao.domain.credentials.vocab import AchievementKind
from zhijiao.domain.creditbank.ledger import GENESIS_HASH, LedgerEntry, canonical_json, chain_entry
from zhijiao.domain.creditbank.model import (
    OUTCOME_KIND_LABELS,
    Institution,
    LearningAccount,
    LedgerAction,
    Outcome,
    OutcomeStatus,
)
from zhijiao.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from zhijiao.services import clock
from zhijiao.services.credentials.issuers import IssuingSite, Signer, ed25519_signer, ensure_issuer, signer
from zhijiao.services.credentials.sources import AchievementSource, exemption_ref, exemption_sources
from zhijiao.services.creditbank import ledger
from zhijiao.services.creditbank.accounts import load_account, relation_to

if TYPE_CHECKING:
    from zhijiao.adapters.db.conversion_repository import StoredExemption
    from zhijiao.adapters.db.uow import SqlUnitOfWork

_ACTIONS = {
    CredentialState.revoked: LedgerAction.credential_revoke,
    CredentialState.suspended: LedgerAction.credential_suspend,
    CredentialState.active: LedgerAction.credential_reinstate,
}
COHORT_CHUNK = 50  # credentials per transaction in bulk issuance


@dataclass(frozen=True, slots=True)
class IssueOptions:
    algorithm: KeyAlgorithm = KeyAlgorithm.eddsa  # of the JWS; the DI proof is always Ed25519
    hashed_subject: bool = False  # name the learner by a salted identityHash instead of the account URN
    valid_until: datetime | None = None


def _kind_label(kind: AchievementKind) -> str:
    labels = {k.value: v for k, v in OUTCOME_KIND_LABELS.items()}
    return labels.get(kind.value) or {"exemption": "免修", "qualification": "资历"}.get(
        kind.value, kind.value
    )


def _achievement(site: IssuingSite, source: AchievementSource) -> AchievementSpec:
    ref = source.code or uuid.uuid5(uuid.NAMESPACE_URL, source.title).hex[:16]
    level = f"（{source.level_label}）" if source.level_label else ""
    return AchievementSpec(
        id=f"{site.base_url}/achievements/{source.issuer.id}/{source.kind.value}/{ref}",
        kind=source.kind,
        name=f"{source.title}{level}",
        description=f"{source.issuer.name}颁发的{_kind_label(source.kind)}{level}",
        criteria_narrative=source.narrative
        or (
            f"经{source.issuer.name}认定并记入学分银行：{source.credits} 学分，"
            f"国家资历框架第 {source.framework_level} 级。"
        ),
        credits_available=source.credits,
        human_code=source.code,
    )


def _subject(account: LearningAccount, hashed: bool) -> Subject:
    if hashed:
        return HashedSubject(account.account_no, salt=secrets.token_urlsafe(16), identity_type="identifier")
    return AccountSubject(account.account_no)


def _allocate(uow: SqlUnitOfWork, issuer_id: int, count: int) -> list[tuple[int, int]]:
    """`count` fresh (status list id, index) slots, taken atomically (UPDATE … RETURNING)."""
    now = clock.utcnow()
    while True:
        found = uow.credentials.open_list(issuer_id, StatusPurpose.revocation.value, count)
        if found is None:
            list_id = uow.credentials.add_list(
                {
                    "issuer_id": issuer_id, "purpose": StatusPurpose.revocation.value, "status_size": 1,
                    "capacity": MIN_ENTRIES, "next_index": 0, "bits": StatusList(MIN_ENTRIES).to_bytes(),
                    "created_at": now, "updated_at": now,
                }
            )  # fmt: skip
        else:
            list_id = found.id
        first = uow.credentials.allocate(list_id, count)
        if first is not None:
            return [(list_id, first + i) for i in range(count)]


def status_entry(site: IssuingSite, list_id: int, index: int) -> StatusListEntry:
    """The one `credentialStatus` of every credential: a `revocation` bit, also set while suspended
    (OB 3.0 and CLR 2.0 allow a single entry; docs/decisions/0013-status-purposes-and-reissue.md)."""
    return StatusListEntry(site.status_url(list_id), index, StatusPurpose.revocation)


def _row(
    cred_id: str, account_id: int, issuer: IssuerRecord, kind: str, slot: tuple[int, int], name: str,
    kid: str, jws: str, di_json: str | None, actor: str, now: datetime, valid_until: datetime | None, *,
    outcome_id: int | None = None, source_ref: str | None = None, selection: Sequence[int] | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": cred_id, "account_id": account_id, "issuer_id": issuer.id, "kind": kind, "outcome_id": outcome_id,
        "source_ref": source_ref, "selection": json.dumps(list(selection)) if selection is not None else None,
        "name": name[:200], "status_list_id": slot[0], "status_index": slot[1],
        "state": CredentialState.active.value, "kid": kid, "jws": jws, "di_json": di_json, "issued_by": actor,
        "issued_at": now, "valid_until": valid_until,
    }  # fmt: skip


def _issue_payload(cred_id: str, kind: str, issuer: IssuerRecord, **extra: Any) -> str:
    return canonical_json(
        {"credential_id": cred_id, "kind": kind, "issuer": issuer.did, "status": "active", **extra}
    )


def issue_sources(
    uow: SqlUnitOfWork,
    site: IssuingSite,
    sources: Sequence[AchievementSource],
    options: IssueOptions,
    actor: str,
) -> list[IssuedCredential]:
    """Inside an open unit of work (access already checked): sign and store one AchievementCredential
    per source, with one ledger entry each."""
    if not sources:
        return []
    now = clock.utcnow()
    accounts = uow.accounts.get_many(s.account_id for s in sources)
    heads = uow.ledger.heads(list(accounts))
    rows: list[dict[str, Any]] = []
    entries: list[LedgerEntry] = []
    by_issuer: dict[int | None, tuple[IssuerRecord, Signer, tuple[str, Any]]] = {}
    for source in sources:
        if source.issuer.id not in by_issuer:
            issuer = ensure_issuer(uow, site, source.issuer)
            by_issuer[source.issuer.id] = (
                issuer,
                signer(uow, site, issuer, options.algorithm),
                ed25519_signer(uow, site, issuer),
            )
    slots: dict[int, list[tuple[int, int]]] = {}
    for issuer_id in {rec.id for rec, _, _ in by_issuer.values()}:
        count = sum(1 for s in sources if by_issuer[s.issuer.id][0].id == issuer_id)
        slots[issuer_id] = _allocate(uow, issuer_id, count)
    for source in sources:
        issuer, jws_signer, (ed_kid, ed_key) = by_issuer[source.issuer.id]
        account = accounts[source.account_id]
        cred_id = str(uuid.uuid4())
        slot = slots[issuer.id].pop(0)
        draft = AchievementCredentialDraft(
            id=f"urn:uuid:{cred_id}",
            issuer=jws_signer.profile,
            achievement=_achievement(site, source),
            subject=_subject(account, options.hashed_subject),
            valid_from=now,
            valid_until=options.valid_until,
            awarded_date=datetime.combine(source.obtained_on, time(0), tzinfo=UTC),
            credits_earned=source.credits,
            result_value=source.result,
            activity_end=source.obtained_on,
            status=(status_entry(site, *slot),),
        )
        unsigned = compose_achievement_credential(draft)
        di_json = json.dumps(add_proof(unsigned, ed_key, ed_kid, now), ensure_ascii=False)
        jws = sign_jws(unsigned, jws_signer.key, jws_signer.kid)
        rows.append(
            _row(cred_id, source.account_id, issuer, source.kind.value, slot, unsigned["name"], jws_signer.kid, jws,
                 di_json, actor, now, options.valid_until, outcome_id=source.outcome_id, source_ref=source.source_ref)
        )  # fmt: skip
        seq, prev = heads.get(source.account_id, (0, GENESIS_HASH))
        entry = chain_entry(
            account_id=source.account_id, seq=seq + 1, action=LedgerAction.credential_issue, outcome_id=None,
            payload=_issue_payload(cred_id, source.kind.value, issuer, outcome_id=source.outcome_id,
                                   source_ref=source.source_ref),
            actor=actor, recorded_at=now, prev_hash=prev,
        )  # fmt: skip
        heads[source.account_id] = (entry.seq, entry.hash)
        entries.append(entry)
    uow.credentials.add_credentials(rows)
    ledger.append_entries(uow, entries, now)
    return uow.credentials.credentials([r["id"] for r in rows])


def _outcome_for_issuing(
    uow: SqlUnitOfWork, principal: Principal, outcome_id: int
) -> tuple[Outcome, Institution]:
    outcome = uow.outcomes.get(outcome_id)
    issuer = uow.institutions.get(outcome.issuer_id) if outcome is not None else None
    if outcome is None or issuer is None:
        raise NotFound("学习成果不存在或无权签发凭证", code="outcome_not_found")
    if principal.role is Role.learner:
        allowed = principal.account_id == outcome.account_id
    else:
        try:
            require_can_record(principal, issuer)
            allowed = True
        except Forbidden:
            allowed = False
    if not allowed:
        raise NotFound("学习成果不存在或无权签发凭证", code="outcome_not_found")
    if outcome.status is OutcomeStatus.revoked:
        raise Conflict("已撤销的学习成果不能签发凭证", code="outcome_revoked")
    return outcome, issuer


def issue_for_outcome(
    uow: SqlUnitOfWork,
    principal: Principal,
    site: IssuingSite,
    outcome_id: int,
    options: IssueOptions | None = None,
) -> IssuedCredential:
    """An OpenBadgeCredential for one outcome (certificate, award, course…), in its issuer's name.
    A learner may ask for their own; staff and admins for outcomes they may record. An outcome
    that already has a live (not revoked) credential gets that one back."""
    options = options or IssueOptions()
    check_validity(options)
    with uow:
        outcome, issuer = _outcome_for_issuing(uow, principal, outcome_id)
        existing = uow.credentials.live_for_outcomes([outcome_id]).get(outcome_id)
        if existing is not None:
            return existing
        (issued,) = issue_sources(
            uow, site, [AchievementSource.of_outcome(outcome, issuer)], options, principal.actor
        )
        uow.commit()
    return issued


def check_validity(options: IssueOptions) -> None:
    if options.valid_until is not None and options.valid_until <= clock.utcnow():
        raise ValidationFailed("有效期截止时间必须晚于现在", field="valid_until")


def _associations(outcomes: Sequence[Outcome], achievement_ids: dict[int, str]) -> list[Association]:
    """Lower levels of the same certificate (same issuer and code) precede higher ones."""
    links = []
    for a in outcomes:
        for b in outcomes:
            same = a.code and a.code == b.code and a.issuer_id == b.issuer_id
            if same and a.level and b.level and a.level < b.level:
                links.append(
                    Association(
                        achievement_ids[a.id or 0], achievement_ids[b.id or 0], AssociationType.precedes
                    )
                )
    return links


def issue_transcript(
    uow: SqlUnitOfWork,
    principal: Principal,
    site: IssuingSite,
    account_no: str,
    outcome_ids: Sequence[int] | None = None,
    options: IssueOptions | None = None,
) -> IssuedCredential:
    """A CLR-style transcript credential signed by the credit bank: the whole account, or the
    outcomes the learner chose. Each outcome is bundled as its own signed AchievementCredential."""
    options = options or IssueOptions()
    check_validity(options)
    with uow:
        account, relation = load_account(uow, principal, account_no)
        if relation != "full":
            raise Forbidden("只有账号本人、所属院校和主管部门可签发成绩单凭证", code="transcript_forbidden")
        cred_id = _issue_transcript(uow, principal, site, account, outcome_ids, options)
        uow.commit()
        issued = uow.credentials.credential(cred_id)
    assert issued is not None
    return issued


def transcript_for_view(
    uow: SqlUnitOfWork, principal: Principal, site: IssuingSite, account_no: str, outcome_ids: Sequence[int]
) -> IssuedCredential | None:
    """The transcript credential a PDF of these (active, shown) outcomes embeds: one already issued
    for exactly this selection that is still good (see `_reusable_transcript`), or a new one.
    None when the caller sees only part of the account (no credential for a partial view) or
    when nothing is shown (docs/decisions/0008-transcript-pdf-credentials.md)."""
    if not outcome_ids:
        return None
    with uow:
        account, relation = load_account(uow, principal, account_no)
        if relation != "full":
            return None
        assert account.id is not None
        reused = _reusable_transcript(uow, account.id, outcome_ids)
        if reused is not None:
            return reused
        cred_id = _issue_transcript(uow, principal, site, account, outcome_ids, IssueOptions())
        uow.commit()
        issued = uow.credentials.credential(cred_id)
    assert issued is not None
    return issued


def _reusable_transcript(
    uow: SqlUnitOfWork, account_id: int, outcome_ids: Sequence[int]
) -> IssuedCredential | None:
    """The newest active transcript of exactly `outcome_ids` that names the learner by account URN,
    has no end of validity, bundles the outcomes' current live credentials (what a new one would
    bundle), and none of whose outcomes was corrected after it was issued."""
    wanted = sorted(outcome_ids)
    candidates = [
        c for c in reversed(uow.credentials.for_account(account_id))
        if c.is_transcript and c.state is CredentialState.active and c.valid_until is None
        and sorted(c.selection or ()) == wanted
    ]  # fmt: skip
    if not candidates:
        return None
    live = uow.credentials.live_for_outcomes(wanted)
    current = {live[i].urn for i in wanted if i in live}
    entries = uow.ledger.for_account(account_id)
    issued_at_seq = {
        json.loads(e.payload).get("credential_id"): e.seq
        for e in entries
        if e.action is LedgerAction.credential_issue
    }
    corrected = [(e.seq, e.outcome_id) for e in entries if e.action is LedgerAction.correct]
    for c in candidates:
        subject = document_of(c)["credentialSubject"]
        bundled = {b.get("id") for b in subject.get("verifiableCredential", [])}
        seq = issued_at_seq.get(c.id, 0)
        if (
            "id" in subject
            and len(current) == len(wanted)
            and bundled == current
            and not any(s > seq and o in wanted for s, o in corrected)
        ):
            return c
    return None


def _issue_transcript(
    uow: SqlUnitOfWork,
    principal: Principal,
    site: IssuingSite,
    account: LearningAccount,
    outcome_ids: Sequence[int] | None,
    options: IssueOptions,
) -> str:
    """Inside an open unit of work, for a caller with the full view: sign and store the transcript; its id."""
    assert account.id is not None
    active = [o for o in uow.outcomes.for_account(account.id) if o.status is OutcomeStatus.active]
    if outcome_ids is not None:
        chosen = set(outcome_ids)
        missing = chosen - {o.id for o in active}
        if missing:
            listed = "、".join(map(str, sorted(missing)))
            raise ValidationFailed(f"所选学习成果不在该账号中或已撤销：{listed}", field="outcome_ids")
        active = [o for o in active if o.id in chosen]
    if not active:
        raise ValidationFailed("成绩单至少应包含一项学习成果", field="outcome_ids")
    ids = [o.id for o in active if o.id is not None]
    live = uow.credentials.live_for_outcomes(ids)
    issuers = uow.institutions.get_many(o.issuer_id for o in active if o.id not in live)
    missing_sources = [
        AchievementSource.of_outcome(o, issuers[o.issuer_id]) for o in active if o.id not in live
    ]
    for made in issue_sources(uow, site, missing_sources, IssueOptions(), principal.actor):
        assert made.outcome_id is not None
        live[made.outcome_id] = made
    bundled = [json.loads(live[i].di_json or "{}") for i in ids]
    achievement_ids = {
        i: c["credentialSubject"]["achievement"]["id"] for i, c in zip(ids, bundled, strict=True)
    }
    platform = ensure_issuer(uow, site, None)
    jws_signer = signer(uow, site, platform, options.algorithm)
    (slot,) = _allocate(uow, platform.id, 1)
    now = clock.utcnow()
    cred_id = str(uuid.uuid4())
    name = f"学分银行学习成果记录（{len(ids)} 项）"
    unsigned = compose_clr_credential(
        TranscriptDraft(
            id=f"urn:uuid:{cred_id}", issuer=jws_signer.profile, subject=_subject(account, options.hashed_subject),
            name=name, valid_from=now, credentials=bundled, associations=_associations(active, achievement_ids),
            valid_until=options.valid_until, status=(status_entry(site, *slot),),
        )
    )  # fmt: skip
    jws = sign_jws(unsigned, jws_signer.key, jws_signer.kid)
    uow.credentials.add_credentials(
        [_row(cred_id, account.id, platform, CredentialKind.transcript.value, slot, name, jws_signer.kid, jws,
              None, principal.actor, now, options.valid_until, selection=ids)]
    )  # fmt: skip
    ledger.append(
        uow, account_id=account.id, action=LedgerAction.credential_issue, outcome_id=None,
        payload=_issue_payload(cred_id, CredentialKind.transcript.value, platform, outcome_ids=ids),
        actor=principal.actor, now=now,
    )  # fmt: skip
    return cred_id


@dataclass(frozen=True, slots=True)
class CohortResult:
    accounts: int
    issued: int
    already: int  # outcomes and exemptions that already had a live credential


def issue_cohort(
    uow: SqlUnitOfWork,
    principal: Principal,
    site: IssuingSite,
    *,
    institution_id: int,
    cohort_year: int,
    major_code: str | None = None,
    options: IssueOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CohortResult:
    """Credentials for every active outcome the institution issued to a graduating cohort (its
    learners of `cohort_year`, optionally one major) and every active exemption it granted them.
    Idempotent; `progress(done, total)` after each chunk, each chunk its own transaction."""
    options = options or IssueOptions()
    check_validity(options)
    with uow.read():
        institution = uow.institutions.get(institution_id)
        if institution is None:
            raise NotFound("机构不存在", code="institution_not_found")
        require_can_record(principal, institution)
        accounts, outcomes = uow.credentials.cohort_outcomes(institution_id, cohort_year, major_code)
        granted = uow.conversion.cohort_exemptions(institution_id, cohort_year, major_code)
        live = uow.credentials.live_for_outcomes([o.id for o in outcomes if o.id is not None])
        live_refs = uow.credentials.live_for_refs(
            [e.account_id for e in granted], [exemption_ref(e.id) for e in granted]
        )
    todo: list[Outcome | StoredExemption] = [o for o in outcomes if o.id not in live]
    todo += [e for e in granted if exemption_ref(e.id) not in live_refs]
    total = len(todo)
    if progress:
        progress(0, total)
    done = 0
    for start in range(0, total, COHORT_CHUNK):
        chunk = todo[start : start + COHORT_CHUNK]
        with uow:
            ids = [o.id for o in chunk if isinstance(o, Outcome) and o.id is not None]
            fresh = uow.credentials.live_for_outcomes(ids)
            sources = [AchievementSource.of_outcome(o, institution) for o in chunk
                       if isinstance(o, Outcome) and o.id not in fresh]  # fmt: skip
            pending = [e for e in chunk if not isinstance(e, Outcome)]
            fresh_refs = uow.credentials.live_for_refs(
                [e.account_id for e in pending], [exemption_ref(e.id) for e in pending]
            )
            sources += exemption_sources(uow, [e for e in pending if exemption_ref(e.id) not in fresh_refs])
            issue_sources(uow, site, sources, options, principal.actor)
            uow.commit()
        done += len(chunk)
        if progress:
            progress(done, total)
    return CohortResult(accounts, total, len(live) + len(live_refs))


def _may_see(
    uow: SqlUnitOfWork, principal: Principal, account: LearningAccount, credential: IssuedCredential
) -> bool:
    relation = relation_to(uow, principal, account)
    if relation == "full":
        return True
    issuer = uow.credentials.issuer(credential.issuer_id)
    return issuer is not None and issuer.institution_id == principal.institution_id


def list_credentials(uow: SqlUnitOfWork, principal: Principal, account_no: str) -> list[IssuedCredential]:
    with uow.read():
        account, _ = load_account(uow, principal, account_no)
        assert account.id is not None
        return [c for c in uow.credentials.for_account(account.id) if _may_see(uow, principal, account, c)]


def get_credential(uow: SqlUnitOfWork, principal: Principal, credential_id: str) -> IssuedCredential:
    with uow.read():
        credential = uow.credentials.credential(credential_id)
        account = uow.accounts.get(credential.account_id) if credential is not None else None
        try:
            visible = (
                credential is not None
                and account is not None
                and _may_see(uow, principal, account, credential)
            )
        except NotFound:
            visible = False
    if not visible or credential is None:
        raise NotFound("凭证不存在或无权查看", code="credential_not_found")
    return credential


def public_credential(uow: SqlUnitOfWork, credential_id: str) -> IssuedCredential:
    """For the verification link (the QR code): anyone holding the link may verify the credential."""
    with uow.read():
        credential = uow.credentials.credential(credential_id)
    if credential is None:
        raise NotFound("凭证不存在", code="credential_not_found")
    return credential


def _require_can_change(uow: SqlUnitOfWork, principal: Principal, credential: IssuedCredential) -> None:
    """Scope first (decision 0016): a credential the caller may not see answers 404, exactly as one
    that does not exist; one it may see but not change answers 403 without naming anyone."""
    account = uow.accounts.get(credential.account_id)
    try:
        visible = account is not None and _may_see(uow, principal, account, credential)
    except NotFound:
        visible = False
    if not visible:
        raise NotFound("凭证不存在或无权查看", code="credential_not_found")
    assert account is not None
    if principal.role is Role.learner:
        raise Forbidden("学习者不能撤销或暂停凭证", code="role_forbidden")
    issuer = uow.credentials.issuer(credential.issuer_id)
    assert issuer is not None
    if issuer.institution_id is None:  # a transcript, signed by the platform
        if principal.role is Role.national_admin or (
            principal.role is Role.province_admin and account.province_code == principal.province_code
        ):
            return
        raise Forbidden("只有主管部门可撤销或暂停成绩单凭证", code="credential_status_forbidden")
    institution = uow.institutions.get(issuer.institution_id)
    assert institution is not None
    try:
        require_can_record(principal, institution)
    except Forbidden:
        raise Forbidden(
            "只有发证机构及其主管部门可改变该凭证的状态", code="credential_status_forbidden"
        ) from None


def may_change_status(
    uow: SqlUnitOfWork, principal: Principal, credentials: Sequence[IssuedCredential]
) -> set[str]:
    """The ids among `credentials` whose status `principal` may change (what a page offers 撤销/暂停
    for); the same rule as `change_status` applies."""
    allowed: set[str] = set()
    with uow.read():
        for credential in credentials:
            try:
                _require_can_change(uow, principal, credential)
            except Forbidden:
                continue
            allowed.add(credential.id)
    return allowed


_ALLOWED = {
    CredentialState.revoked: {CredentialState.active, CredentialState.suspended},
    CredentialState.suspended: {CredentialState.active},
    CredentialState.active: {CredentialState.suspended},
}
_REFUSALS = {
    CredentialState.revoked: "凭证已撤销，不能再次撤销",
    CredentialState.suspended: "只有有效的凭证可以暂停",
    CredentialState.active: "只有已暂停的凭证可以恢复（撤销不可恢复）",
}


def change_status(
    uow: SqlUnitOfWork,
    principal: Principal,
    credential_id: str,
    target: CredentialState,
    reason: str,
) -> IssuedCredential:
    """Revoke, suspend or reinstate: set the credential's entry in its status list and write the
    change, with the reason, to the learner's ledger."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("请说明原因", field="reason")
    with uow:
        credential = uow.credentials.credential(credential_id)
        if credential is None:
            raise NotFound("凭证不存在或无权查看", code="credential_not_found")
        _require_can_change(uow, principal, credential)
        changed = _set_state(uow, credential_id, target, reason, principal.actor)
        uow.commit()
    return changed


def _set_state(
    uow: SqlUnitOfWork, credential_id: str, target: CredentialState, reason: str, actor: str
) -> IssuedCredential:
    """Inside an open unit of work: lock the credential's status list, check the transition, write
    the bits, mirror the state and append the ledger entry (with `reason` as its note)."""
    credential = uow.credentials.credential(credential_id)
    assert credential is not None
    status_list = uow.credentials.status_list(credential.status_list_id, for_update=True)
    assert status_list is not None
    credential = uow.credentials.credential(credential_id)  # re-read under the list's lock
    assert credential is not None
    if credential.state not in _ALLOWED[target]:
        raise Conflict(_REFUSALS[target], code="credential_state")
    bits = StatusList.from_bytes(status_list.bits)
    bits.set(credential.status_index, target is not CredentialState.active)
    now = clock.utcnow()
    uow.credentials.save_bits(status_list.id, bits.to_bytes(), now)
    uow.credentials.set_state(credential.id, target)
    entry = document_of(credential)["credentialStatus"]
    ledger.append(
        uow, account_id=credential.account_id, action=_ACTIONS[target], outcome_id=None,
        payload=canonical_json(
            {"credential_id": credential.id, "status": target.value, "previous": credential.state.value,
             "status_list": entry["statusListCredential"], "status_index": credential.status_index}
        ),
        note=reason, actor=actor, now=now,
    )  # fmt: skip
    changed = uow.credentials.credential(credential_id)
    assert changed is not None
    return changed


def withdraw_for_revoked_outcome(
    uow: SqlUnitOfWork, account_id: int, outcome_id: int, flagged_exemptions: Sequence[int], reason: str,
    actor: str,
) -> list[IssuedCredential]:  # fmt: skip
    """Inside the outcome's revocation: revoke the live credentials issued for it (its own, and the
    transcripts that bundle it) and suspend the active credentials of the exemptions flagged because
    of it (a review may reinstate them). One ledger entry each, with the reason."""
    refs = {exemption_ref(i) for i in flagged_exemptions}
    revoked = f"学习成果 #{outcome_id} 已撤销：{reason}"
    suspended = f"免修所依据的学习成果 #{outcome_id} 已撤销，待复核：{reason}"
    changed = []
    for c in uow.credentials.for_account(account_id):
        if c.state is not CredentialState.revoked and (
            c.outcome_id == outcome_id or (c.is_transcript and outcome_id in (c.selection or ()))
        ):
            changed.append(_set_state(uow, c.id, CredentialState.revoked, revoked, actor))
        elif c.state is CredentialState.active and c.source_ref in refs:
            changed.append(_set_state(uow, c.id, CredentialState.suspended, suspended, actor))
    return changed


def document_of(c: IssuedCredential) -> dict[str, Any]:
    """The credential as JSON: the Data Integrity–signed document, or (transcripts) the JWS payload."""
    if c.di_json:
        loaded: dict[str, Any] = json.loads(c.di_json)
        return loaded
    payload = c.jws.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded
