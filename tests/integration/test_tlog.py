"""The ledger as a transparency log: what an insider with database rights does is caught against an
earlier checkpoint — a truncated history, a deleted account, a consistently recomputed chain, a fork."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text

from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, World, national_id
from zhijiao.api.app import create_app
from zhijiao.domain.creditbank.checkpoint import NoteVerifier, parse_checkpoint
from zhijiao.domain.creditbank.ledger import canonical_json, entry_hash, records_payload
from zhijiao.domain.creditbank.merkle import Tree, verify_consistency, verify_inclusion
from zhijiao.domain.creditbank.model import OutcomeDraft, OutcomeKind
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank import accounts, ledger, outcomes, transcripts
from zhijiao.services.creditbank.ledger import verify_ledger


def _record(world: World, account_no: str, title: str) -> int:
    o = outcomes.record_outcome(
        world.platform.uow(), world.p("school_staff"), account_no,
        OutcomeDraft(OutcomeKind.course, title, world.school.id or 0, date(2024, 6, 30), hours=Decimal(32)),
    )  # fmt: skip
    assert o.id is not None
    return o.id


def _history(world: World) -> tuple[str, str]:
    """Two accounts with outcomes; returns (the second account's number, an earlier checkpoint's note)."""
    second = accounts.open_account(
        world.platform.uow(), world.p("school_staff"), name="王芳", id_type=IdType.national_id,
        id_number=national_id(2), institution_id=world.school.id,
    )  # fmt: skip
    _record(world, world.learner_account.account_no, "机械制图")
    _record(world, second.account_no, "电工基础")
    _record(world, world.learner_account.account_no, "数控编程")
    return second.account_no, ledger.checkpoint_now(world.platform.uow()).note


def _unprotected(c: Connection) -> None:
    """What anyone with database rights can do: drop the append-only triggers."""
    if c.dialect.name == "sqlite":
        c.execute(text("DROP TRIGGER ledger_entries_no_update"))
        c.execute(text("DROP TRIGGER ledger_entries_no_delete"))
    else:
        c.execute(text("ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only"))


def _forget_checkpoints(c: Connection) -> None:
    c.execute(text("DELETE FROM ledger_checkpoints"))


def _verify(world: World, *notes: str) -> ledger.LedgerReport:
    return verify_ledger(world.platform.uow(), [parse_checkpoint(n) for n in notes])


def test_an_intact_log_extends_its_earlier_checkpoints(world: World) -> None:
    _, first = _history(world)
    _record(world, world.learner_account.account_no, "高等数学")
    second = ledger.checkpoint_now(world.platform.uow()).note
    report = _verify(world, first, second)
    assert report.intact, report.problems
    assert report.checkpoints == 2


def test_history_truncation_is_caught(world: World, database_url: str, tmp_path: Path) -> None:
    """The newest entry deleted together with the outcome it recorded (and the stored checkpoints)."""
    _, earlier = _history(world)
    with world.platform.engine.begin() as c:
        _unprotected(c)
        entry_id, payload = c.execute(
            text("SELECT id, payload FROM ledger_entries ORDER BY id DESC LIMIT 1")
        ).one()
        outcome_id = int(payload.split('"id":')[1].split(",")[0])
        c.execute(text("DELETE FROM ledger_entries WHERE id = :i"), {"i": entry_id})
        c.execute(text("DELETE FROM outcomes WHERE id = :i"), {"i": outcome_id})
        _forget_checkpoints(c)
    assert verify_ledger(world.platform.uow()).intact  # the rows left agree with each other …
    report = _verify(world, earlier)  # … but not with what was published
    assert report.problems[0].kind == "truncated"
    cp_file = tmp_path / "cp.txt"
    cp_file.write_text(earlier, encoding="utf-8")
    env = {**os.environ, "ZHIJIAO_DATABASE_URL": database_url, "ZHIJIAO_SECRET_KEY": TEST_SECRET}
    done = subprocess.run(
        [sys.executable, "-m", "zhijiao.cli", "ledger", "verify", "--checkpoint", str(cp_file)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "台账被截断" in done.stderr


def test_a_deleted_account_is_caught(world: World) -> None:
    _, earlier = _history(world)
    with world.platform.engine.begin() as c:
        _unprotected(c)
        account_id = c.execute(
            text("SELECT account_id FROM ledger_entries WHERE action = 'open' ORDER BY id DESC LIMIT 1")
        ).scalar_one()
        c.execute(text("DELETE FROM ledger_entries WHERE account_id = :a"), {"a": account_id})
        c.execute(text("DELETE FROM outcomes WHERE account_id = :a"), {"a": account_id})
        c.execute(text("DELETE FROM learning_accounts WHERE id = :a"), {"a": account_id})
        _forget_checkpoints(c)
    report = _verify(world, earlier)
    assert not report.intact
    assert report.problems[0].kind == "not_extension"
    assert any(p.kind == "entry_missing" for p in report.problems)


def _recompute_from(c: Connection, entry_id: int) -> None:
    """Rewrite leaf hashes and chain links of every entry from `entry_id` on, as a careful insider would."""
    rows = c.execute(text("SELECT * FROM ledger_entries ORDER BY id")).mappings().all()
    heads: dict[int, str] = {}
    for r in rows:
        prev = heads.get(r["account_id"], "0" * 64)
        if r["id"] >= entry_id:
            at = r["recorded_at"]
            h = entry_hash(
                account_id=r["account_id"], seq=r["seq"], action=r["action"], outcome_id=r["outcome_id"],
                payload=r["payload"], actor=r["actor"], prev_hash=prev, note=r["note"],
                recorded_at=datetime.fromisoformat(at) if isinstance(at, str) else at,
            )  # fmt: skip
            c.execute(text("UPDATE ledger_entries SET prev_hash = :p, hash = :h WHERE id = :i"),
                      {"p": prev, "h": h, "i": r["id"]})  # fmt: skip
            heads[r["account_id"]] = h
        else:
            heads[r["account_id"]] = r["hash"]


def _rewrite_first_record(c: Connection) -> None:
    """Raise the credits of the first recorded outcome in its entry and in its row, then recompute."""
    entry_id, payload = c.execute(
        text("SELECT id, payload FROM ledger_entries WHERE action = 'record' ORDER BY id LIMIT 1")
    ).one()
    snapshots = json.loads(payload)
    snapshots[0]["credits"] = "9"
    c.execute(text("UPDATE ledger_entries SET payload = :p WHERE id = :i"),
              {"p": records_payload(canonical_json(s) for s in snapshots), "i": entry_id})  # fmt: skip
    c.execute(text("UPDATE outcomes SET credits = 9 WHERE id = :i"), {"i": snapshots[0]["id"]})
    _recompute_from(c, entry_id)


def test_a_consistently_recomputed_chain_is_caught(world: World) -> None:
    _, earlier = _history(world)
    with world.platform.engine.begin() as c:
        _unprotected(c)
        _rewrite_first_record(c)
        _forget_checkpoints(c)
    assert verify_ledger(world.platform.uow()).intact  # every hash and link agrees …
    report = _verify(world, earlier)
    assert report.problems[0].kind == "not_extension"  # … the published root does not
    assert "被改写" in report.problems[0].reason


def test_a_forked_log_is_caught(world: World) -> None:
    """History rewritten, then re-signed with the log's own key: two signed checkpoints that disagree."""
    _, earlier = _history(world)
    with world.platform.engine.begin() as c:
        _unprotected(c)
        _rewrite_first_record(c)
        _forget_checkpoints(c)
    _record(world, world.learner_account.account_no, "高等数学")
    forked = ledger.checkpoint_now(world.platform.uow()).note
    assert parse_checkpoint(forked).signed_by(world.platform.log_signer.verifier)
    report = _verify(world, earlier, forked)
    assert report.problems[0].kind == "fork"


def test_proofs_from_the_api_verify(world: World) -> None:
    _history(world)
    client = TestClient(create_app(world.platform))
    note = client.get("/api/v1/ledger/checkpoint")
    assert note.status_code == 200 and note.headers["content-type"].startswith("text/plain")
    cp = parse_checkpoint(note.text)
    assert cp.signed_by(NoteVerifier.parse(client.get("/api/v1/ledger/key").text))
    proof = client.get("/api/v1/ledger/consistency", params={"from": 2, "to": cp.size}).json()
    with world.platform.uow().read() as uow:
        tree = Tree(uow.ledger.leaf_hashes(0, cp.size))
    assert verify_consistency(
        2, cp.size, tree.root(2), cp.root, [base64.b64decode(h) for h in proof["proof"]]
    )
    assert client.get("/api/v1/ledger/consistency", params={"from": 5, "to": cp.size + 50}).status_code == 422
    history = client.get("/api/v1/ledger/checkpoints").json()
    assert history[-1]["tree_size"] == cp.size

    staff = client.post("/api/v1/auth/token", data={"username": "school_staff", "password": PASSWORD})
    token = {"Authorization": f"Bearer {staff.json()['access_token']}"} if staff.status_code == 200 else {}
    assert token, staff.text
    no = world.learner_account.account_no
    t = client.get(f"/api/v1/accounts/{no}/transcript", headers=token).json()["ledger_proof"]
    assert verify_inclusion(
        base64.b64decode(t["leaf_hash"]), t["log_index"], t["tree_size"],
        [base64.b64decode(h) for h in t["inclusion_proof"]], parse_checkpoint(t["checkpoint"]).root,
    )  # fmt: skip
    e = client.get(f"/api/v1/accounts/{no}/ledger/1/proof", headers=token).json()
    assert hashlib.sha256(b"\x00" + base64.b64decode(e["entry_bytes"])).digest() == base64.b64decode(
        e["proof"]["leaf_hash"]
    )
    other = client.post("/api/v1/auth/token", data={"username": "far_staff", "password": PASSWORD})
    far = {"Authorization": f"Bearer {other.json()['access_token']}"}
    assert client.get(f"/api/v1/accounts/{no}/ledger/1/proof", headers=far).status_code == 404


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_transcript_carries_the_proof_of_its_latest_entry(world: World) -> None:
    _record(world, world.learner_account.account_no, "机械制图")
    t = transcripts.transcript(
        world.platform.uow(), world.p("school_staff"), world.learner_account.account_no
    )
    assert t.ledger_proof is not None
    with world.platform.uow().read() as uow:
        latest = uow.ledger.latest_of(world.learner_account.id or 0)
        tree = Tree(uow.ledger.leaf_hashes(0, t.ledger_proof.tree_size))
    assert latest is not None and t.ledger_proof.log_index == latest[0] - 1
    assert verify_inclusion(
        t.ledger_proof.leaf_hash, t.ledger_proof.log_index, t.ledger_proof.tree_size, t.ledger_proof.proof,
        tree.root(),
    )  # fmt: skip
