"""Issuers (发证机构) and their signing keys: created on first use, sealed at rest, rotated on demand.

Every institution issues in its own name; the credit bank itself (the platform issuer) signs
transcripts. In the demo an issuer is a did:key; otherwise did:web under the platform's host,
and the platform serves the DID documents, listing retired keys so old credentials still verify.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zhijiao.adapters.crypto import derive_key
from zhijiao.adapters.signing import keys as signing_keys
from zhijiao.adapters.signing.did import IssuerKey, build_did_document, did_web
from zhijiao.config import Settings
from zhijiao.domain.access import Principal, Role, require_can_record
from zhijiao.domain.credentials.compose import IssuerProfile
from zhijiao.domain.credentials.records import DidMethod, IssuerKeyRecord, IssuerRecord, KeyAlgorithm
from zhijiao.domain.creditbank.model import Institution
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.services import clock

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

PLATFORM_HANDLE = "platform"
PLATFORM_NAME = "国家职业教育学分银行"
KEK_LABEL = "issuer-key-encryption-v1"


@dataclass(frozen=True, slots=True)
class IssuingSite:
    """Where credentials point to (status lists, verification links, DID documents) and how keys are sealed."""

    base_url: str
    did_method: DidMethod
    kek: bytes = field(repr=False)

    @classmethod
    def of(cls, settings: Settings) -> IssuingSite:
        return cls(
            settings.base_url.rstrip("/"),
            DidMethod.key if settings.demo else DidMethod.web,
            derive_key(settings.secret_key.get_secret_value(), KEK_LABEL),
        )

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def web_did(self, institution_id: int | None) -> str:
        if institution_id is None:
            return did_web(self.host)
        return did_web(self.host, "issuers", str(institution_id))

    def status_url(self, list_id: int) -> str:
        return f"{self.base_url}/credentials/status/{list_id}"

    def status_list_id(self, url: str) -> int | None:
        prefix = f"{self.base_url}/credentials/status/"
        tail = url.removeprefix(prefix)
        return int(tail) if url.startswith(prefix) and tail.isdigit() else None

    def verify_url(self, credential_id: str) -> str:
        return f"{self.base_url}/verify/{credential_id}"

    def issuer_page(self, institution_id: int | None) -> str:
        return self.base_url if institution_id is None else f"{self.base_url}/issuers/{institution_id}"


@dataclass(frozen=True, slots=True)
class Signer:
    """An issuer's current key for one algorithm, unsealed for the duration of a unit of work."""

    issuer: IssuerRecord
    kid: str
    key: signing_keys.PrivateKey = field(repr=False)

    @property
    def profile(self) -> IssuerProfile:
        return IssuerProfile(id=self.issuer.did, name=self.issuer.name, url=self.issuer.url)


def _handle(institution_id: int | None) -> str:
    return PLATFORM_HANDLE if institution_id is None else f"institution-{institution_id}"


def _public_pem(key: signing_keys.PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _new_keys(
    uow: SqlUnitOfWork, site: IssuingSite, issuer_id: int, institution_id: int | None, now: datetime
) -> str:
    """Create the issuer's next generation of keys; return the DID they are published under."""
    generation = 1 + sum(1 for k in uow.credentials.keys_of(issuer_id) if k.algorithm is KeyAlgorithm.eddsa)
    ed = signing_keys.generate_ed25519()
    made: list[tuple[KeyAlgorithm, signing_keys.PrivateKey, str, str]] = []
    if site.did_method is DidMethod.key:
        did = signing_keys.did_key(ed.public_key())
        kid = signing_keys.did_key_verification_method(ed.public_key())
        made.append((KeyAlgorithm.eddsa, ed, kid.partition("#")[2], kid))
    else:
        did = site.web_did(institution_id)
        made.append((KeyAlgorithm.eddsa, ed, f"ed25519-{generation}", f"{did}#ed25519-{generation}"))
        rsa = signing_keys.generate_rsa2048()
        made.append((KeyAlgorithm.rs256, rsa, f"rsa-{generation}", f"{did}#rsa-{generation}"))
    for algorithm, key, fragment, kid in made:
        uow.credentials.add_key(
            {
                "issuer_id": issuer_id, "did": did, "kid": kid, "fragment": fragment,
                "algorithm": algorithm.value, "public_key_pem": _public_pem(key),
                "sealed_private_key": signing_keys.seal_private_key(key, site.kek, key_id=kid),
                "created_at": now, "retired_at": None,
            }
        )  # fmt: skip
    return did


def ensure_issuer(uow: SqlUnitOfWork, site: IssuingSite, institution: Institution | None) -> IssuerRecord:
    """The issuer profile of `institution` (None: the platform), created with keys on first use.

    Runs inside the caller's unit of work, which holds the write lock (SQLite) or will meet the
    unique handle (PostgreSQL) if two requests race to create the same issuer."""
    institution_id = institution.id if institution is not None else None
    handle = _handle(institution_id)
    found = uow.credentials.issuer_by_handle(handle)
    if found is not None:
        return found
    now = clock.utcnow()
    name = institution.name if institution is not None else PLATFORM_NAME
    issuer_id = uow.credentials.add_issuer(
        {
            "handle": handle, "institution_id": institution_id, "did": "pending", "name": name,
            "url": site.issuer_page(institution_id), "created_at": now,
        }
    )  # fmt: skip
    did = _new_keys(uow, site, issuer_id, institution_id, now)
    uow.credentials.set_issuer_did(issuer_id, did)
    issuer = uow.credentials.issuer(issuer_id)
    assert issuer is not None
    return issuer


def signer(uow: SqlUnitOfWork, site: IssuingSite, issuer: IssuerRecord, algorithm: KeyAlgorithm) -> Signer:
    """Unseal the issuer's current key for `algorithm`."""
    current = [
        k for k in uow.credentials.keys_of(issuer.id) if k.retired_at is None and k.algorithm is algorithm
    ]
    if not current:
        if algorithm is KeyAlgorithm.rs256:
            raise ValidationFailed(
                "RS256 签名需要 did:web 发证标识（演示模式的 did:key 仅支持 Ed25519）", field="algorithm"
            )
        raise ValidationFailed("发证机构没有可用的签名密钥", code="no_signing_key")
    key = current[-1]
    private = signing_keys.unseal_private_key(key.sealed_private_key, site.kek, key_id=key.kid)
    return Signer(issuer, key.kid, private)


def ed25519_signer(
    uow: SqlUnitOfWork, site: IssuingSite, issuer: IssuerRecord
) -> tuple[str, Ed25519PrivateKey]:
    chosen = signer(uow, site, issuer, KeyAlgorithm.eddsa)
    assert isinstance(chosen.key, Ed25519PrivateKey)
    return chosen.kid, chosen.key


def public_key(record: IssuerKeyRecord) -> signing_keys.PublicKey | None:
    loaded = serialization.load_pem_public_key(record.public_key_pem.encode("ascii"))
    return loaded if isinstance(loaded, signing_keys.PublicKey) else None


def _require_can_manage(principal: Principal, institution: Institution | None) -> None:
    if institution is None:
        if principal.role is not Role.national_admin:
            raise Forbidden("只有国家级管理员可管理学分银行的签名密钥", code="role_forbidden")
        return
    if principal.role is Role.learner:
        raise Forbidden("学习者无权管理发证密钥", code="role_forbidden")
    require_can_record(principal, institution)


def rotate_keys(
    uow: SqlUnitOfWork, principal: Principal, site: IssuingSite, institution_id: int | None
) -> IssuerRecord:
    """Retire the issuer's current keys and make new ones. Retired keys stay listed (and resolvable),
    so credentials signed before the rotation still verify."""
    with uow:
        institution = _institution(uow, institution_id)
        _require_can_manage(principal, institution)
        issuer = ensure_issuer(uow, site, institution)
        now = clock.utcnow()
        uow.credentials.retire_keys(issuer.id, now)
        did = _new_keys(uow, site, issuer.id, institution_id, now)
        uow.credentials.set_issuer_did(issuer.id, did)
        uow.commit()
        rotated = uow.credentials.issuer(issuer.id)
    assert rotated is not None
    return rotated


def _institution(uow: SqlUnitOfWork, institution_id: int | None) -> Institution | None:
    if institution_id is None:
        return None
    institution = uow.institutions.get(institution_id)
    if institution is None:
        raise NotFound("机构不存在", code="institution_not_found")
    return institution


def did_document(uow: SqlUnitOfWork, site: IssuingSite, institution_id: int | None) -> dict[str, object]:
    """The did:web document of an issuer (None: the platform), listing current and retired keys."""
    with uow.read():
        issuer = uow.credentials.issuer_by_handle(_handle(institution_id))
        records = uow.credentials.keys_of(issuer.id) if issuer is not None else []
    if issuer is None or not issuer.did.startswith("did:web:"):
        raise NotFound("该发证机构尚未启用 did:web 标识", code="did_not_found")
    listed = [
        IssuerKey(k.fragment, pub)
        for k in records
        if k.did == issuer.did and (pub := public_key(k)) is not None
    ]
    document = build_did_document(issuer.did, listed)
    document["alsoKnownAs"] = [issuer.url]
    return document
