"""An independent W3C Bitstring Status List v1.0 check, written from the specification (§3.2
"Validate Algorithm", §2.1 entry, §2.2 list credential), not from zhijiao's code:

- the list is `credentialSubject.encodedList`: multibase base64url (prefix ``u``, no padding) of a
  GZIP-compressed bitstring;
- the entry's `statusListIndex` × `statusSize` (default 1) is the position of the first bit; index 0
  is the left-most bit of the first byte;
- the entry's `statusPurpose` must be one of the list's purposes (a string or a list of strings);
- for ``revocation`` and ``suspension`` a set bit means revoked / suspended; ``message`` only informs.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Mapping
from typing import Any

MINIMUM_BITS = 131_072  # §2.2: "a minimum of 16KB"


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url (prefix 'u')")
    body = encoded[1:]
    if "=" in body:
        raise ValueError("multibase base64url has no padding")
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_value(list_credential: Mapping[str, Any], entry: Mapping[str, Any]) -> int:
    """The entry's status value in the list credential (after the purpose check)."""
    if "BitstringStatusListCredential" not in list_credential["type"]:
        raise ValueError("not a BitstringStatusListCredential")
    subject = list_credential["credentialSubject"]
    purposes = subject["statusPurpose"]
    purposes = [purposes] if isinstance(purposes, str) else list(purposes)
    if entry["type"] != "BitstringStatusListEntry" or entry["statusPurpose"] not in purposes:
        raise ValueError("STATUS_VERIFICATION_ERROR: status purpose mismatch")
    if entry["statusListCredential"] != list_credential["id"]:
        raise ValueError("entry points to another list")
    bits = decode_list(subject["encodedList"])
    size = int(entry.get("statusSize", 1))
    if len(bits) * 8 < MINIMUM_BITS:
        raise ValueError("STATUS_LIST_LENGTH_ERROR")
    first = int(entry["statusListIndex"]) * size
    value = 0
    for position in range(first, first + size):
        value = value << 1 | (bits[position // 8] >> (7 - position % 8)) & 1
    return value


def is_valid(list_credentials: Mapping[str, Mapping[str, Any]], credential: Mapping[str, Any]) -> bool:
    """What a standard verifier concludes: False when any revocation or suspension bit is set."""
    declared = credential.get("credentialStatus") or []
    for entry in declared if isinstance(declared, list) else [declared]:
        value = status_value(list_credentials[entry["statusListCredential"]], entry)
        if entry["statusPurpose"] in ("revocation", "suspension") and value:
            return False
    return True
