"""A witness (见证方) of the ledger, as a province or the ministry runs it: it cosigns a checkpoint
only if the log's key signed it and it is an append-only extension of the checkpoint the witness
cosigned before (a consistency proof from the log, checked here). Anything else — a smaller tree, a
different root at the same size, a proof that fails — is a fork or a rollback, and is refused.

The cosigned checkpoint (the log's note plus the witness's C2SP tlog-cosignature line) is kept in
the state directory as `checkpoint`, and appended to `history`; publishing it lets anyone holding it
detect a log that shows them a different history."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Protocol

from zhijiao.domain.creditbank.checkpoint import (
    Checkpoint,
    CheckpointError,
    NoteSigner,
    NoteVerifier,
    parse_checkpoint,
)
from zhijiao.domain.creditbank.merkle import verify_consistency


class LogSource(Protocol):
    def checkpoint(self) -> str: ...
    def consistency(self, old: int, new: int) -> list[bytes]: ...


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def witness_once(log: LogSource, verifier: NoteVerifier, signer: NoteSigner, state: Path) -> Checkpoint:
    """Fetch, check and cosign the log's newest checkpoint; raise `Refused` (with the reason in Chinese)."""
    try:
        latest = parse_checkpoint(log.checkpoint())
    except CheckpointError as e:
        raise Refused(str(e)) from None
    if latest.origin != verifier.name or not latest.signed_by(verifier):
        raise Refused("检查点不是该台账的密钥签发的，或签名无效")
    last_file = state / "checkpoint"
    if last_file.exists():
        previous = parse_checkpoint(last_file.read_text(encoding="utf-8"))
        if latest.size < previous.size:
            raise Refused(f"回退：台账的树大小 {latest.size} 小于已联署的 {previous.size}（历史被截断）")
        if latest.size == previous.size:
            if latest.root != previous.root:
                raise Refused(f"分叉：同一树大小 {latest.size} 出现了两个不同的根哈希")
        elif previous.size > 0:
            proof = log.consistency(previous.size, latest.size)
            if not verify_consistency(previous.size, latest.size, previous.root, latest.root, proof):
                raise Refused(
                    f"分叉：树大小 {latest.size} 的检查点不是已联署的树大小 {previous.size} 的追加延伸（一致性证明不成立）"
                )
    own = [(n, s) for n, s in latest.signatures if n != signer.name]
    cosigned = Checkpoint(latest.origin, latest.size, latest.root, tuple(own))
    note = cosigned.signed(signer, int(time.time()))
    state.mkdir(parents=True, exist_ok=True)
    part = state / "checkpoint.part"
    part.write_text(note, encoding="utf-8")
    os.replace(part, last_file)
    with (state / "history").open("a", encoding="utf-8") as history:
        history.write(note + "\n")
    return parse_checkpoint(note)
