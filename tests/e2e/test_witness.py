"""A witness process (`zhijiao ledger witness`) against a served log: it cosigns checkpoints that
extend what it cosigned before, and refuses a forked log."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET
from tests.e2e.test_serve import ZHIJIAO, _free_port
from tests.factories import World
from tests.integration.test_tlog import (
    _forget_checkpoints,
    _history,
    _record,
    _rewrite_first_record,
    _unprotected,
)
from zhijiao.domain.creditbank.checkpoint import COSIGNATURE_V1, NoteSigner, parse_checkpoint
from zhijiao.services.creditbank import ledger


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_witness_cosigns_extensions_and_refuses_a_fork(
    world: World, database_url: str, tmp_path: Path
) -> None:
    _history(world)
    port = _free_port()
    env = {**os.environ, "ZHIJIAO_DATABASE_URL": database_url, "ZHIJIAO_SECRET_KEY": TEST_SECRET}
    server = subprocess.Popen(
        [ZHIJIAO, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    seed = bytes(range(7, 39))
    (tmp_path / "witness.key").write_text(base64.b64encode(seed).decode(), encoding="utf-8")
    witness_key = NoteSigner.from_seed("witness.edu.gd.example", seed, COSIGNATURE_V1).verifier
    log_key = world.platform.log_signer.verifier.encode()
    state = tmp_path / "state"

    def witness() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ZHIJIAO, "ledger", "witness", "--log", base, "--log-key", log_key, "--key-file",
             str(tmp_path / "witness.key"), "--name", "witness.edu.gd.example", "--state", str(state)],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/v1/ledger/key", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert httpx.get(f"{base}/api/v1/ledger/key", timeout=5).text.strip() == log_key

        first = witness()
        assert first.returncode == 0, first.stderr
        cosigned = parse_checkpoint((state / "checkpoint").read_text(encoding="utf-8"))
        assert cosigned.signed_by(world.platform.log_signer.verifier) and cosigned.signed_by(witness_key)

        _record(world, world.learner_account.account_no, "高等数学")
        ledger.checkpoint_now(world.platform.uow())
        grown = witness()
        assert grown.returncode == 0, grown.stderr
        assert parse_checkpoint((state / "checkpoint").read_text(encoding="utf-8")).size > cosigned.size

        kept = (state / "checkpoint").read_text(encoding="utf-8")
        with world.platform.engine.begin() as c:  # rewrite history and sign a new checkpoint over it
            _unprotected(c)
            _rewrite_first_record(c)
            _forget_checkpoints(c)
        _record(world, world.learner_account.account_no, "大学英语")
        ledger.checkpoint_now(world.platform.uow())
        forked = witness()
        assert forked.returncode == 1
        assert "分叉" in forked.stderr
        assert (state / "checkpoint").read_text(encoding="utf-8") == kept  # nothing cosigned
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
