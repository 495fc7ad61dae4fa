"""Issue, sign and verify credentials for each proof type; print credentials/s and the ratio
to raw Ed25519 signing of the same bytes, measured in the same run.

    .venv/bin/python benchmarks/credentials.py [--n 10000] [--proofs jose-eddsa,jose-rs256,di]
        [--independent 200]

`--independent N` (needs Node.js): the first N Data Integrity credentials and N EdDSA JWS, their
status list and one tampered copy of each are verified by Digital Bazaar's libraries and `jose`
(tests/interop/verify.mjs, installed from tests/interop/package-lock.json); prints how many verify
and the rate, with the ratio to this project's verifier in the same run.

Runtime at the default n=10000 (measured): 2 min 44 s in all, about 25 s for the two JOSE
proofs and about 2 min for eddsa-rdfc-2022 (pure-Python JSON-LD canonicalisation dominates).
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhijiao.adapters.signing import keys
from zhijiao.adapters.signing.checkers import StatusLists, make_proof_checker
from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.adapters.signing.did import IssuerKey, KeyResolver, build_did_document
from zhijiao.adapters.signing.jose import credential_bytes, sign_jws
from zhijiao.adapters.signing.schema import CREDENTIAL_SCHEMAS
from zhijiao.domain.credentials.compose import (
    AccountSubject,
    AchievementCredentialDraft,
    AchievementSpec,
    IssuerProfile,
    compose_achievement_credential,
)
from zhijiao.domain.credentials.status_list import StatusList, StatusListEntry, StatusPurpose
from zhijiao.domain.credentials.status_list import compose_status_list_credential as status_credential
from zhijiao.domain.credentials.verify import Verdict, verify_credential
from zhijiao.domain.credentials.vocab import AchievementKind
from zhijiao.domain.identity import make_account_no

DID = "did:web:zhijiao.example.cn"
STATUS_URL = "https://zhijiao.example.cn/status/1"
ISSUED = datetime(2025, 6, 30, tzinfo=UTC)


def drafts(n: int) -> list[AchievementCredentialDraft]:
    issuer = IssuerProfile(DID, "深圳职业技术大学", "https://www.szpu.edu.cn")
    achievement = AchievementSpec(
        "https://zhijiao.example.cn/achievements/1",
        AchievementKind.skill_certificate,
        "Web 前端开发职业技能等级证书（中级）",
        "1+X 职业技能等级证书",
        "理论与实操考核合格",
        Decimal(6),
    )
    return [
        AchievementCredentialDraft(
            id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
            issuer=issuer,
            achievement=achievement,
            subject=AccountSubject(make_account_no("44", i)),
            valid_from=ISSUED,
            valid_until=ISSUED + timedelta(days=1095),
            credits_earned=Decimal(6),
            status=(StatusListEntry(STATUS_URL, i % 131_072, StatusPurpose.revocation),),
        )
        for i in range(n)
    ]


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--proofs", default="jose-eddsa,jose-rs256,di")
    parser.add_argument("--independent", type=int, default=0, help="credentials for the Node verifiers")
    args = parser.parse_args()
    ed, rsa = keys.generate_ed25519(), keys.generate_rsa2048()
    document = build_did_document(
        DID, [IssuerKey("ed-1", ed.public_key()), IssuerKey("rsa-1", rsa.public_key())]
    )
    status = StatusLists()
    list_credential = status_credential(
        list_url=STATUS_URL, issuer_id=DID, purpose=StatusPurpose.revocation, status_list=StatusList(),
        valid_from=ISSUED,
    )  # fmt: skip
    status.add(STATUS_URL, list_credential)
    checker = make_proof_checker(KeyResolver({DID: document}))
    now = ISSUED + timedelta(days=1)
    signers: dict[str, Callable[[dict[str, Any]], Any]] = {
        "jose-eddsa": lambda c: sign_jws(c, ed, f"{DID}#ed-1"),
        "jose-rs256": lambda c: sign_jws(c, rsa, f"{DID}#rsa-1"),
        "di": lambda c: add_proof(c, ed, f"{DID}#ed-1", ISSUED),
    }
    todo = drafts(args.n)
    ours: dict[str, tuple[list[Any], float]] = {}

    start = time.perf_counter()
    payloads = [credential_bytes(compose_achievement_credential(d)) for d in todo]
    compose_s = time.perf_counter() - start
    start = time.perf_counter()
    for payload in payloads:
        ed.sign(payload)
    raw_rate = rate(args.n, time.perf_counter() - start)
    print(
        f"n={args.n}  compose only: {rate(args.n, compose_s):,.0f}/s  "
        f"raw Ed25519 sign of the same bytes: {raw_rate:,.0f}/s"
    )
    print(f"{'proof':<12}{'issue+sign/s':>14}{'ratio to raw':>14}{'verify/s':>12}{'ratio to raw':>14}")
    for name in args.proofs.split(","):
        sign = signers[name]
        start = time.perf_counter()
        signed = [sign(compose_achievement_credential(d)) for d in todo]
        sign_rate = rate(args.n, time.perf_counter() - start)
        start = time.perf_counter()
        verdicts = [
            verify_credential(
                s,
                check_proof=checker,
                is_known_issuer=lambda i: i == DID,
                read_status_bit=status,
                validate_schema=CREDENTIAL_SCHEMAS,
                now=now,
            ).verdict
            for s in signed
        ]
        verify_rate = rate(args.n, time.perf_counter() - start)
        assert all(v is Verdict.valid for v in verdicts), {v for v in verdicts}
        ours[name] = (signed, verify_rate)
        print(
            f"{name:<12}{sign_rate:>14,.0f}{sign_rate / raw_rate:>14.4f}"
            f"{verify_rate:>12,.0f}{verify_rate / raw_rate:>14.4f}"
        )
    if args.independent:
        independent(args.independent, ours, document, add_proof(list_credential, ed, f"{DID}#ed-1", ISSUED))


def independent(n: int, ours: dict[str, tuple[list[Any], float]], did: dict[str, Any], listed: Any) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1]))
    from tests.interop import independent as node

    if why := node.node_missing():
        print(f"independent verifiers: {why}")
        return
    node.install()
    di, di_rate = ours.get("di", ([], 0.0))
    jws, jws_rate = ours.get("jose-eddsa", ([], 0.0))
    rows = [{"name": f"di-{i}", "di": c, "jws": None} for i, c in enumerate(di[:n])]
    rows += [{"name": f"jws-{i}", "di": None, "jws": t} for i, t in enumerate(jws[:n])]
    for c in di[:1]:
        forged = copy.deepcopy(c)
        forged["credentialSubject"]["creditsEarned"] = 60
        rows.append({"name": "tampered-di", "di": forged, "jws": None})
    start = time.perf_counter()
    report = node.run({DID: did, STATUS_URL: listed}, rows, [STATUS_URL])
    seconds = time.perf_counter() - start
    done = {r["name"]: r for r in report["credentials"]}
    di_ok = sum(
        1
        for k, r in done.items()
        if k.startswith("di-") and r["di"]["verified"] and r["diStatus"]["verified"]
    )
    jws_ok = sum(
        1
        for k, r in done.items()
        if k.startswith("jws-") and r["jws"]["verified"] and r["jwsStatus"]["verified"]
    )
    canon = sum(1 for k, r in done.items() if k.startswith("di-") and "canonical" in r)
    tampered = done.get("tampered-di", {}).get("di", {}).get("verified")
    per = {k: sum(r["ms"] for n_, r in done.items() if n_.startswith(k)) / 1000 for k in ("di-", "jws-")}
    print("independent verifiers (tests/interop/package-lock.json: @digitalbazaar/vc, jose), same run:")
    print(f"  eddsa-rdfc-2022 + status list: {di_ok}/{len(di[:n])} verify, "
          f"{rate(len(di[:n]), per['di-']):,.0f}/s (ratio to ours {rate(len(di[:n]), per['di-']) / di_rate:.3f}); "
          f"canonicalised {canon}; tampered copy verifies: {tampered}")  # fmt: skip
    print(f"  JWS EdDSA + status list:       {jws_ok}/{len(jws[:n])} verify, "
          f"{rate(len(jws[:n]), per['jws-']):,.0f}/s (ratio to ours {rate(len(jws[:n]), per['jws-']) / jws_rate:.3f}); "
          f"node process {seconds:.1f} s in all")  # fmt: skip


if __name__ == "__main__":
    main()
