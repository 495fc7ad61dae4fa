from __future__ import annotations

import base64
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.credentials.factories import ISSUED
from zhijiao.domain.credentials.status_list import (
    MIN_ENTRIES,
    StatusList,
    StatusPurpose,
    compose_status_list_credential,
    read_status_list_credential,
)
from zhijiao.domain.errors import ValidationFailed


def test_minimum_size_and_bit_order() -> None:
    bits = StatusList()
    assert len(bits) >= 131_072 == MIN_ENTRIES
    bits.set(0)
    assert bits.to_bytes()[0] == 0x80
    bits.set(9)
    assert bits.to_bytes()[1] == 0x40
    bits.set(0, False)
    assert bits.to_bytes()[0] == 0 and bits.get(9) and not bits.get(0)


def test_too_small_or_out_of_range_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        StatusList(1024)
    with pytest.raises(ValidationFailed):
        StatusList().get(MIN_ENTRIES)


@given(st.sets(st.integers(min_value=0, max_value=MIN_ENTRIES - 1), max_size=50))
def test_round_trip(indices: set[int]) -> None:
    bits = StatusList()
    for i in indices:
        bits.set(i)
    decoded = StatusList.decode(bits.encode())
    assert all(decoded.get(i) for i in indices)
    assert decoded.to_bytes() == bits.to_bytes()


def test_interop_decode_with_plain_gzip_and_base64() -> None:
    bits = StatusList()
    bits.set(0)
    bits.set(131_071)
    encoded = bits.encode()
    assert encoded.startswith("u") and "=" not in encoded
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(raw) == 16_384 and raw[0] == 0x80 and raw[-1] == 0x01


def test_status_list_credential_round_trip() -> None:
    bits = StatusList()
    bits.set(42)
    credential = compose_status_list_credential(
        list_url="https://zhijiao.example.cn/status/1",
        issuer_id="did:web:zhijiao.example.cn",
        purpose=StatusPurpose.suspension,
        status_list=bits,
        valid_from=ISSUED,
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    purpose, decoded = read_status_list_credential(credential)
    assert purpose is StatusPurpose.suspension and decoded.get(42)


def test_garbage_encoding_is_a_validation_error() -> None:
    with pytest.raises(ValidationFailed):
        StatusList.decode("uAAAA")
    with pytest.raises(ValidationFailed):
        StatusList.decode("zabc")
