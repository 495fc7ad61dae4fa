"""The ledger's public transparency-log endpoints (no sign-in: they reveal hashes, never records).

`GET /api/v1/ledger/checkpoint` is the newest signed checkpoint as C2SP signed-note text, what a
witness or an auditor fetches; `/checkpoints` the history; `/consistency` the RFC 9162 proof
between two tree sizes; `/key` the verifier key. An entry's inclusion proof is under its account
(`/api/v1/accounts/{account_no}/ledger/{seq}/proof`), for those who may read the entry."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from zhijiao.api.deps import UoW
from zhijiao.api.schemas import CheckpointRead, ConsistencyProofRead
from zhijiao.services.creditbank import ledger

router = APIRouter(prefix="/api/v1/ledger", tags=["台账 ledger"])
NOTE = "text/plain; charset=utf-8"


@router.get("/checkpoint", response_class=PlainTextResponse, operation_id="get_ledger_checkpoint")
def checkpoint(uow: UoW) -> PlainTextResponse:
    """最新的已签名检查点（C2SP tlog-checkpoint，signed note 文本）。"""
    return PlainTextResponse(ledger.latest_checkpoint(uow, covering=0).note, media_type=NOTE)


@router.get("/checkpoints", response_model=list[CheckpointRead], operation_id="list_ledger_checkpoints")
def checkpoints(
    uow: UoW,
    since: int = Query(0, ge=0, description="只列树大小大于此值的检查点"),
    limit: int = Query(1000, ge=1, le=1000),
) -> list[CheckpointRead]:
    """检查点历史（按树大小升序），供见证方取用。"""
    return [
        CheckpointRead(
            tree_size=c.tree_size, root_hash=c.root_hash, checkpoint=c.note, created_at=c.created_at
        )
        for c in ledger.checkpoint_history(uow, since, limit)
    ]


@router.get("/consistency", response_model=ConsistencyProofRead, operation_id="get_ledger_consistency")
def consistency(
    uow: UoW,
    tree_size_1: int = Query(..., alias="from", ge=1, description="较早的树大小"),
    tree_size_2: int = Query(..., alias="to", ge=1, description="较新的树大小"),
) -> ConsistencyProofRead:
    """RFC 9162 一致性证明：树大小 to 的台账是树大小 from 的追加延伸。"""
    proof = ledger.consistency_proof(uow, tree_size_1, tree_size_2)
    return ConsistencyProofRead(
        tree_size_1=tree_size_1, tree_size_2=tree_size_2, proof=[base64.b64encode(h).decode() for h in proof]
    )


@router.get("/key", response_class=PlainTextResponse, operation_id="get_ledger_key")
def key(uow: UoW) -> PlainTextResponse:
    """检查点签名公钥（note 验证密钥：名称+密钥ID+base64(0x01‖Ed25519 公钥)）。"""
    return PlainTextResponse(ledger.log_verifier(uow).encode() + "\n", media_type=NOTE)
