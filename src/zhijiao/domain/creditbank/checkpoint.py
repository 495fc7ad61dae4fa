"""Signed checkpoints of the ledger: the C2SP tlog-checkpoint body in a C2SP signed note.

    <origin>\\n<tree size>\\n<base64 root hash>\\n          ← the note text (what is signed)
    \\n
    — <key name> <base64(key id[4] ‖ Ed25519 signature[64])>\\n   ← one line per signature

Key id = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)[:4] (0x01: Ed25519). A verifier key is
published as `<name>+<hex key id>+<base64(0x01 ‖ public key)>`, the form Go's
golang.org/x/mod/sumdb/note and the C2SP tools read. Witnesses add cosignature lines
(C2SP tlog-cosignature, algorithm 0x04): the signature is over
"cosignature/v1\\ntime <unix seconds>\\n" + the note text and is prefixed with those seconds
(8 bytes, big-endian).
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"  # em dash, as the signed-note format requires


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or whose signature does not verify (message in Chinese)."""


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, alg: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public).digest()[:4]


@dataclass(frozen=True, slots=True)
class NoteVerifier:
    name: str
    key_id: bytes
    alg: int
    public: bytes

    def encode(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([self.alg]) + self.public).decode()}"

    @classmethod
    def parse(cls, text: str) -> NoteVerifier:
        try:
            name, kid, key = text.strip().split("+", 2)
            raw = base64.b64decode(key, validate=True)
            alg, public = raw[0], raw[1:]
            if (
                len(public) != 32
                or alg not in (ED25519, COSIGNATURE_V1)
                or bytes.fromhex(kid) != key_id(name, alg, public)
            ):
                raise ValueError
        except (ValueError, IndexError):
            raise CheckpointError("公钥格式不正确（应为 名称+密钥ID+base64 公钥）") from None
        return cls(name, bytes.fromhex(kid), alg, public)


@dataclass(frozen=True, slots=True)
class NoteSigner:
    """An Ed25519 key that signs checkpoints (alg 0x01) or cosigns them as a witness (alg 0x04)."""

    name: str
    key: Ed25519PrivateKey
    alg: int = ED25519

    @classmethod
    def from_seed(cls, name: str, seed: bytes, alg: int = ED25519) -> NoteSigner:
        return cls(name, Ed25519PrivateKey.from_private_bytes(seed), alg)

    @property
    def verifier(self) -> NoteVerifier:
        public = _raw(self.key.public_key())
        return NoteVerifier(self.name, key_id(self.name, self.alg, public), self.alg, public)

    def signature_line(self, text: str, timestamp: int = 0) -> str:
        kid = self.verifier.key_id
        if self.alg == COSIGNATURE_V1:
            stamp = struct.pack(">Q", timestamp)
            sig = stamp + self.key.sign(_cosigned_message(text, timestamp))
        else:
            sig = self.key.sign(text.encode())
        return f"{DASH} {self.name} {base64.b64encode(kid + sig).decode()}\n"


def _cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    signatures: tuple[tuple[str, bytes], ...] = ()  # (key name, key id ‖ signature)

    @property
    def text(self) -> str:
        """The note text: what the signatures cover."""
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    def signed(self, signer: NoteSigner, timestamp: int = 0) -> str:
        """The note with this checkpoint's existing signatures and one more from `signer`."""
        return self.note() + signer.signature_line(self.text, timestamp)

    def note(self) -> str:
        lines = "".join(f"{DASH} {n} {base64.b64encode(s).decode()}\n" for n, s in self.signatures)
        return f"{self.text}\n{lines}"

    def signed_by(self, verifier: NoteVerifier) -> bool:
        for name, sig in self.signatures:
            if name != verifier.name or sig[:4] != verifier.key_id:
                continue
            public = Ed25519PublicKey.from_public_bytes(verifier.public)
            try:
                if verifier.alg == COSIGNATURE_V1:
                    (stamp,) = struct.unpack(">Q", sig[4:12])
                    public.verify(sig[12:], _cosigned_message(self.text, stamp))
                else:
                    public.verify(sig[4:], self.text.encode())
            except (InvalidSignature, struct.error):
                continue
            return True
        return False


def parse_checkpoint(note: str) -> Checkpoint:
    """Read a signed checkpoint note (signatures are read, not yet checked: see `Checkpoint.signed_by`)."""
    text, sep, sigs = note.partition("\n\n")
    lines = text.split("\n")
    if not sep or len(lines) < 3:
        raise CheckpointError("检查点格式不正确：应为来源、树大小、根哈希三行，空行后为签名行")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    try:
        if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
            raise ValueError
        size = int(size_text)
        root = base64.b64decode(root_text, validate=True)
        if len(root) != 32:
            raise ValueError
    except ValueError:
        raise CheckpointError("检查点格式不正确：树大小或根哈希无法读取") from None
    signatures = []
    for line in sigs.split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise CheckpointError("检查点签名行格式不正确")
        try:
            signatures.append((parts[1], base64.b64decode(parts[2], validate=True)))
        except ValueError:
            raise CheckpointError("检查点签名行格式不正确") from None
    return Checkpoint(origin, size, root, tuple(signatures))
