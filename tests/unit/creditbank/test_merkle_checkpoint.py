"""The Merkle tree and proofs against RFC 9162's definitions, and the signed-note checkpoint format."""

from __future__ import annotations

import base64
import hashlib

import pytest

from zhijiao.domain.creditbank.checkpoint import (
    COSIGNATURE_V1,
    Checkpoint,
    CheckpointError,
    NoteSigner,
    NoteVerifier,
    parse_checkpoint,
)
from zhijiao.domain.creditbank.merkle import (
    EMPTY_ROOT,
    Frontier,
    Tree,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [leaf_hash(f"entry {i}".encode()) for i in range(40)]


def mth(d: list[bytes]) -> bytes:
    """MTH as RFC 9162 §2.1.1 defines it, by recursion over the leaf hashes."""
    if not d:
        return EMPTY_ROOT
    if len(d) == 1:
        return d[0]
    k = 1
    while k * 2 < len(d):
        k *= 2
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    return [*path(m, d[:k]), mth(d[k:])] if m < k else [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = 1
    while k * 2 < len(d):
        k *= 2
    return [*subproof(m, d[:k], b), mth(d[k:])] if m <= k else [*subproof(m - k, d[k:], False), mth(d[:k])]


def test_leaf_and_node_hashes_are_domain_separated() -> None:
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 40])
def test_roots_and_proofs_follow_rfc_9162(n: int) -> None:
    d = LEAVES[:n]
    tree = Tree(LEAVES)
    assert tree.root(n) == mth(d) == Frontier(0).extend(d).root()
    for m in range(n):
        proof = tree.inclusion_proof(m, n)
        assert proof == path(m, d)
        assert verify_inclusion(d[m], m, n, proof, mth(d))
        assert not verify_inclusion(leaf_hash(b"another"), m, n, proof, mth(d))
    for m in range(1, n + 1):
        proof = tree.consistency_proof(m, n)
        assert proof == subproof(m, d, True)
        assert verify_consistency(m, n, mth(d[:m]), mth(d), proof)


def test_proofs_fail_for_another_history() -> None:
    tree = Tree(LEAVES[:20])
    forked = Tree([*LEAVES[:6], leaf_hash(b"rewritten"), *LEAVES[7:20]])
    assert not verify_consistency(10, 20, tree.root(10), forked.root(), forked.consistency_proof(10, 20))
    assert not verify_consistency(10, 20, tree.root(10), tree.root(), tree.consistency_proof(9, 20))
    assert not verify_inclusion(LEAVES[6], 6, 20, forked.inclusion_proof(6, 20), forked.root())
    assert not verify_consistency(8, 20, tree.root(8), tree.root(), [])


def test_a_frontier_continues_where_it_stopped() -> None:
    part = Frontier(0).extend(LEAVES[:13])
    again = Frontier.decode(13, part.encode()).extend(LEAVES[13:])
    assert again.root() == mth(LEAVES) and again.size == 40
    assert Frontier(0).root() == hashlib.sha256(b"").digest()


def test_the_go_sumdb_note_test_vector_verifies() -> None:
    """golang.org/x/mod/sumdb/note's published example key and signed note."""
    v = NoteVerifier.parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    sig = base64.b64decode(
        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
    )
    assert sig[:4] == v.key_id
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    Ed25519PublicKey.from_public_bytes(v.public).verify(sig[4:], text.encode())


def test_a_checkpoint_is_signed_parsed_and_cosigned() -> None:
    log = NoteSigner.from_seed("credit.example/ledger", bytes(range(32)))
    witness = NoteSigner.from_seed("witness.example", bytes(range(1, 33)), COSIGNATURE_V1)
    root = Tree(LEAVES).root()
    note = Checkpoint("credit.example/ledger", 40, root).signed(log)
    lines = note.split("\n")
    assert lines[:3] == ["credit.example/ledger", "40", base64.b64encode(root).decode()]
    assert lines[3] == "" and lines[4].startswith("\u2014 credit.example/ledger ")
    cp = parse_checkpoint(note)
    assert (cp.origin, cp.size, cp.root) == ("credit.example/ledger", 40, root)
    assert cp.signed_by(log.verifier) and not cp.signed_by(witness.verifier)
    cosigned = parse_checkpoint(cp.signed(witness, 1_700_000_000))
    assert cosigned.signed_by(log.verifier) and cosigned.signed_by(witness.verifier)
    assert NoteVerifier.parse(log.verifier.encode()) == log.verifier
    tampered = parse_checkpoint(note.replace("\n40\n", "\n41\n"))
    assert not tampered.signed_by(log.verifier)


@pytest.mark.parametrize(
    "bad", ["", "origin\n12\n", "origin\nx\nAAAA\n\n", "o\n1\n" + "A" * 44 + "\n\nnot a signature\n"]
)
def test_unreadable_checkpoints_are_refused_in_chinese(bad: str) -> None:
    with pytest.raises(CheckpointError, match="检查点"):
        parse_checkpoint(bad)
