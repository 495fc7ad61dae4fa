"""The ledger's Merkle tree (RFC 9162 §2.1): one tree over every ledger entry in log order.

leaf hash = SHA-256(0x00 ‖ entry bytes), node hash = SHA-256(0x01 ‖ left ‖ right); the tree of n
leaves splits at the largest power of two below n. Inclusion and consistency proofs are built and
checked exactly as RFC 9162 §2.1.3–2.1.4 describe, so any CT / tlog verifier can check them
(docs/ledger/verify_ledger_proofs.py is a stdlib-only one).

`Frontier` is the compact range of a tree: the roots of its perfect subtrees from the left. A
checkpoint keeps it, so the next checkpoint needs only the leaves added since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """A tree over given leaf hashes, with every perfect subtree's hash kept for proofs."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.levels: list[list[bytes]] = [list(leaves)]
        level = self.levels[0]
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def hash(self, lo: int, hi: int) -> bytes:
        """MTH of leaves [lo, hi)."""
        n = hi - lo
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and lo % n == 0:  # a perfect, aligned subtree: stored
            return self.levels[n.bit_length() - 1][lo // n]
        k = _split(n)
        return node_hash(self.hash(lo, lo + k), self.hash(lo + k, hi))

    def root(self, size: int | None = None) -> bytes:
        return self.hash(0, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1."""
        if not 0 <= index < size <= self.size:
            raise ValueError("leaf index outside the tree")
        return self._path(index, 0, size)

    def _path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*self._path(m, lo, lo + k), self.hash(lo + k, hi)]
        return [*self._path(m - k, lo + k, hi), self.hash(lo, lo + k)]

    def consistency_proof(self, old: int, new: int) -> list[bytes]:
        """PROOF(old, D[0:new]) of RFC 9162 §2.1.4.1."""
        if not 0 < old <= new <= self.size:
            raise ValueError("tree sizes out of range")
        return self._subproof(old, 0, new, True)

    def _subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [self.hash(lo, hi)]
        k = _split(n)
        if m <= k:
            return [*self._subproof(m, lo, lo + k, whole), self.hash(lo + k, hi)]
        return [*self._subproof(m - k, lo + k, hi, False), self.hash(lo, lo + k)]


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` show leaf hash `leaf` at `index` in the tree of `size` with `root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: is the tree (`new`, `new_root`) an append-only extension of (`old`, `old_root`)?"""
    if old == new:
        return not proof and old_root == new_root
    if not 0 < old < new or not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # old is a power of two: its root is the first node of the path
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


@dataclass(frozen=True, slots=True)
class Frontier:
    """The compact range [0, size): (height, hash) of each perfect subtree, tallest first."""

    size: int
    nodes: tuple[tuple[int, bytes], ...] = ()

    def extend(self, leaves: Iterable[bytes]) -> Frontier:
        nodes = list(self.nodes)
        size = self.size
        for h in leaves:
            height = 0
            while nodes and nodes[-1][0] == height:
                h = node_hash(nodes.pop()[1], h)
                height += 1
            nodes.append((height, h))
            size += 1
        return Frontier(size, tuple(nodes))

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        h = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            h = node_hash(left, h)
        return h

    def encode(self) -> str:
        return " ".join(f"{height}:{h.hex()}" for height, h in self.nodes)

    @classmethod
    def decode(cls, size: int, text: str) -> Frontier:
        nodes = []
        for part in text.split():
            height, h = part.split(":")
            nodes.append((int(height), bytes.fromhex(h)))
        return cls(size, tuple(nodes))
