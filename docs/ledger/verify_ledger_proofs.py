#!/usr/bin/env python3
"""Check zhijiao ledger proofs independently: Python 3.9+ standard library only, no zhijiao code.

Written from docs/ledger/entry-format.md, RFC 9162 §2.1 (Merkle tree, inclusion and consistency
proofs), C2SP tlog-checkpoint / signed-note (checkpoint text and Ed25519 signature lines) and
RFC 8032 §6 (Ed25519 verification, the reference code, slow but short).

    # an entry's proof, as GET /api/v1/accounts/{account_no}/ledger/{seq}/proof returns it
    python3 verify_ledger_proofs.py entry  --key KEY entry-proof.json
    # a transcript's proof of its latest entry (the JSON's "ledger_proof", or the PDF's ledger-proof.json)
    python3 verify_ledger_proofs.py transcript --key KEY transcript.json
    # that the log of checkpoint NEW extends checkpoint OLD (proof: GET /api/v1/ledger/consistency?from=&to=)
    python3 verify_ledger_proofs.py consistency --key KEY OLD.txt NEW.txt proof.json

KEY is the log's verifier key (GET /api/v1/ledger/key, `zhijiao ledger key`). Exit status 0 when the
proof holds, 1 when it does not (the reason is printed), 2 for unreadable input.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys

# --- RFC 8032 §6: Ed25519 verification --------------------------------------------------------
P = 2**255 - 19
D = -121665 * pow(121666, P - 2, P) % P
Q = 2**252 + 27742317777372353535851937790883648493
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):  # type: ignore[no-untyped-def]
    x = (a[1] - a[0]) * (b[1] - b[0]) % P
    y = (a[1] + a[0]) * (b[1] + b[0]) % P
    c = 2 * a[3] * b[3] * D % P
    d = 2 * a[2] * b[2] % P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f, g * h, f * g, e * h)


def _mul(s, pt):  # type: ignore[no-untyped-def]
    acc = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            acc = _add(acc, pt)
        pt = _add(pt, pt)
        s >>= 1
    return acc


def _equal(a, b) -> bool:  # type: ignore[no-untyped-def]
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    return P - x if (x & 1) != sign else x


def _decompress(s: bytes):  # type: ignore[no-untyped-def]
    y = int.from_bytes(s, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
G = (_GX, _GY, 1, _GX * _GY % P)  # type: ignore[operator]


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _decompress(public), _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % Q
    return _equal(_mul(s, G), _add(r, _mul(h, a)))


# --- C2SP signed note / tlog-checkpoint ---------------------------------------------------------


def parse_key(text: str) -> tuple[str, bytes, bytes]:
    """`name+hexkeyid+base64(0x01 ‖ key)` → (name, key id, public key), with the key id checked."""
    name, kid, key = text.strip().split("+", 2)
    raw = base64.b64decode(key)
    if raw[0] != 1 or len(raw) != 33:
        raise ValueError("not an Ed25519 note key")
    if hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4] != bytes.fromhex(kid):
        raise ValueError("key id does not match the key")
    return name, bytes.fromhex(kid), raw[1:]


def read_checkpoint(note: str, key: tuple[str, bytes, bytes]) -> tuple[int, bytes]:
    """(tree size, root hash) of a checkpoint note whose signature by `key` verifies."""
    text, _, signatures = note.partition("\n\n")
    origin, size, root = text.split("\n")
    name, kid, public = key
    if origin != name:
        raise Failed(f"checkpoint origin {origin!r} is not the key's name {name!r}")
    body = (text + "\n").encode()
    for line in signatures.split("\n"):
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] == "\u2014" and parts[1] == name:
            sig = base64.b64decode(parts[2])
            if sig[:4] == kid and ed25519_verify(public, body, sig[4:]):
                return int(size), base64.b64decode(root)
    raise Failed("no valid signature by the log's key on the checkpoint")


# --- RFC 9162 §2.1 -------------------------------------------------------------------------------


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_holds(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistency_holds(
    first: int, second: int, first_root: bytes, second_root: bytes, path: list[bytes]
) -> bool:
    if first == second:
        return first_root == second_root and not path
    if not 0 < first < second or not path:
        return False
    if first & (first - 1) == 0:
        path = [first_root, *path]
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


# --- entries (docs/ledger/entry-format.md) ----------------------------------------------------


def entry_fields(entry: bytes) -> dict:
    """The header of an entry's bytes, checked to be in canonical form, and its payload."""
    header_text, _, payload = entry.decode("utf-8").partition("\n")
    header = json.loads(header_text)
    canonical = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if canonical != header_text:
        raise Failed("entry header is not canonical JSON")
    return {**header, "payload": payload}


class Failed(Exception):
    pass


def _b64s(items: list[str]) -> list[bytes]:
    return [base64.b64decode(h) for h in items]


def check_proof(proof: dict, key: tuple[str, bytes, bytes], entry: bytes | None = None) -> str:
    size, root = read_checkpoint(proof["checkpoint"], key)
    if size != proof["tree_size"]:
        raise Failed("the proof's tree size is not the checkpoint's")
    leaf = base64.b64decode(proof["leaf_hash"])
    if entry is not None and hashlib.sha256(b"\x00" + entry).digest() != leaf:
        raise Failed("the entry's bytes do not hash to the leaf")
    if not inclusion_holds(leaf, proof["log_index"], size, _b64s(proof["inclusion_proof"]), root):
        raise Failed("inclusion proof does not lead to the checkpoint's root")
    return f"entry {proof['log_index']} is in the signed tree of size {size}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    for name in ("entry", "transcript"):
        one = sub.add_parser(name)
        one.add_argument("--key", required=True)
        one.add_argument("file")
    cons = sub.add_parser("consistency")
    cons.add_argument("--key", required=True)
    cons.add_argument("old")
    cons.add_argument("new")
    cons.add_argument("proof")
    args = parser.parse_args(argv)
    try:
        key = parse_key(args.key)
        if args.what == "consistency":
            with open(args.old, encoding="utf-8") as f1, open(args.new, encoding="utf-8") as f2:
                old, new = f1.read(), f2.read()
            with open(args.proof, encoding="utf-8") as f:
                path = _b64s(json.load(f)["proof"])
        else:
            with open(args.file, encoding="utf-8") as f:
                doc = json.load(f)
    except (OSError, ValueError, KeyError) as e:
        print(f"unreadable input: {e}", file=sys.stderr)
        return 2
    try:
        if args.what == "consistency":
            (m, r1), (n, r2) = read_checkpoint(old, key), read_checkpoint(new, key)
            if not consistency_holds(m, n, r1, r2, path):
                raise Failed(f"the tree of size {n} is NOT an append-only extension of the tree of size {m}")
            print(f"consistent: the tree of size {n} extends the tree of size {m}")
        elif args.what == "entry":
            entry = base64.b64decode(doc["entry_bytes"])
            fields = entry_fields(entry)
            print(
                check_proof(doc["proof"], key, entry),
                f"(account {fields['account_id']}, seq {fields['seq']})",
            )
        else:
            print(check_proof(doc.get("ledger_proof", doc), key))
    except Failed as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
