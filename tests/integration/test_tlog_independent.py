"""docs/ledger/verify_ledger_proofs.py — stdlib only, no zhijiao code — agrees with the project's
proofs: it accepts the inclusion and consistency proofs the API gives and refuses altered ones."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.factories import PASSWORD, World
from tests.integration.test_tlog import _history, _record
from zhijiao.api.app import create_app
from zhijiao.domain.creditbank.merkle import Tree, leaf_hash
from zhijiao.services.creditbank import ledger

SCRIPT = Path(__file__).parents[2] / "docs" / "ledger" / "verify_ledger_proofs.py"
spec = importlib.util.spec_from_file_location("verify_ledger_proofs", SCRIPT)
assert spec is not None and spec.loader is not None
independent = importlib.util.module_from_spec(spec)
spec.loader.exec_module(independent)


def test_the_script_agrees_with_the_tree_on_every_small_tree() -> None:
    leaves = [leaf_hash(bytes([i])) for i in range(33)]
    tree = Tree(leaves)
    for n in range(1, 34):
        root = tree.root(n)
        for m in range(n):
            proof = tree.inclusion_proof(m, n)
            assert independent.inclusion_holds(leaves[m], m, n, proof, root)
            assert not independent.inclusion_holds(leaves[m], m, n, proof, leaf_hash(b"x"))
        for m in range(1, n + 1):
            proof = tree.consistency_proof(m, n)
            assert independent.consistency_holds(m, n, tree.root(m), root, proof)
            if m < n:
                assert not independent.consistency_holds(m, n, leaf_hash(b"x"), root, proof)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_script_checks_what_the_api_and_the_pdf_give(world: World, tmp_path: Path) -> None:
    _, old_note = _history(world)
    _record(world, world.learner_account.account_no, "高等数学")
    new = ledger.checkpoint_now(world.platform.uow())
    client = TestClient(create_app(world.platform))
    key = client.get("/api/v1/ledger/key").text.strip()
    login = client.post("/api/v1/auth/token", data={"username": "school_staff", "password": PASSWORD}).json()
    auth = {"Authorization": f"Bearer {login['access_token']}"}
    no = world.learner_account.account_no

    entry = client.get(f"/api/v1/accounts/{no}/ledger/2/proof", headers=auth).json()
    (tmp_path / "entry.json").write_text(json.dumps(entry), encoding="utf-8")
    done = _run("entry", "--key", key, str(tmp_path / "entry.json"))
    assert done.returncode == 0, done.stderr
    assert "seq 2" in done.stdout
    entry["entry_bytes"] = base64.b64encode(
        base64.b64decode(entry["entry_bytes"]).replace(b"32", b"64")
    ).decode()
    (tmp_path / "forged.json").write_text(json.dumps(entry), encoding="utf-8")
    assert _run("entry", "--key", key, str(tmp_path / "forged.json")).returncode == 1

    transcript = client.get(f"/api/v1/accounts/{no}/transcript", headers=auth).json()
    (tmp_path / "transcript.json").write_text(json.dumps(transcript), encoding="utf-8")
    assert _run("transcript", "--key", key, str(tmp_path / "transcript.json")).returncode == 0

    old_size = int(old_note.split("\n")[1])
    (tmp_path / "old.txt").write_text(old_note, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new.note, encoding="utf-8")
    proof = client.get("/api/v1/ledger/consistency", params={"from": old_size, "to": new.tree_size}).json()
    (tmp_path / "proof.json").write_text(json.dumps(proof), encoding="utf-8")
    done = _run(
        "consistency",
        "--key",
        key,
        str(tmp_path / "old.txt"),
        str(tmp_path / "new.txt"),
        str(tmp_path / "proof.json"),
    )
    assert done.returncode == 0, done.stderr
    proof["proof"][0] = base64.b64encode(b"\0" * 32).decode()
    (tmp_path / "bad.json").write_text(json.dumps(proof), encoding="utf-8")
    bad = _run(
        "consistency",
        "--key",
        key,
        str(tmp_path / "old.txt"),
        str(tmp_path / "new.txt"),
        str(tmp_path / "bad.json"),
    )
    assert bad.returncode == 1 and "NOT an append-only extension" in bad.stderr
    other_key = independent.parse_key(key)[0] + "+00000000+AQ" + "A" * 42 + "="
    assert _run("transcript", "--key", other_key, str(tmp_path / "transcript.json")).returncode == 2

    pdf = client.get(f"/api/v1/accounts/{no}/transcript.pdf", headers=auth)
    assert pdf.status_code == 200, pdf.text[:300]
    attached = PdfReader(io.BytesIO(pdf.content)).attachments
    (tmp_path / "from-pdf.json").write_bytes(attached["ledger-proof.json"][0])
    assert _run("transcript", "--key", key, str(tmp_path / "from-pdf.json")).returncode == 0
