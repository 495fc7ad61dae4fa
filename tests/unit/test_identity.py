from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.identity import (
    PROVINCE_CODES,
    IdType,
    make_account_no,
    make_national_id,
    make_uscc,
    mask_id_number,
    parse_national_id,
    validate_account_no,
    validate_id_document,
    validate_moe_code,
    validate_uscc,
)

TODAY = date(2026, 11, 29)


def test_the_standard_example_id_is_valid() -> None:
    nid = parse_national_id("11010519491231002X", today=TODAY)
    assert nid.birth_date == date(1949, 12, 31)
    assert nid.gender == "F"
    assert nid.province_code == "11"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("11010519491231002Y", "national_id_format"),
        ("110105194912310021", "national_id_checksum"),
        ("99010519491231002X", "national_id_region"),
        ("110105194902300023", "national_id_birth"),  # 30 February
        ("110105203001010012", "national_id_birth"),  # born in the future
        ("110105490101002", "national_id_legacy"),
    ],
)
def test_bad_ids_are_refused_with_a_reason(raw: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as e:
        parse_national_id(raw, today=TODAY)
    assert e.value.code == code
    assert raw[6:14] not in e.value.message  # the birth date is not echoed


@given(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(0, 999),
)
def test_generated_ids_validate_and_any_single_digit_change_is_caught(
    prov: str, born: date, seq: int
) -> None:
    number = make_national_id(prov + "0101", born, seq)
    assert parse_national_id(number, today=TODAY).value == number
    digit = number[16]
    changed = number[:16] + str((int(digit) + 1) % 10) + number[17]
    with pytest.raises(ValidationFailed):
        parse_national_id(changed, today=TODAY)


def test_lowercase_x_and_spaces_are_normalised() -> None:
    assert parse_national_id(" 11010519491231002x ", today=TODAY).value == "11010519491231002X"


def test_masking() -> None:
    assert mask_id_number("11010519491231002X") == "1101**********002X"


def test_known_real_uscc_is_valid_and_a_changed_one_is_not() -> None:
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(ValidationFailed) as e:
        validate_uscc("91350100M000100Y44")
    assert e.value.code == "uscc_checksum"
    with pytest.raises(ValidationFailed) as e:
        validate_uscc("91350100M000101Y43")  # organisation-code check digit wrong
    assert e.value.code in ("uscc_org_checksum", "uscc_checksum")
    with pytest.raises(ValidationFailed):
        validate_uscc("91350100M000100I43")  # I is not in the alphabet


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_generated_usccs_validate(org: str) -> None:
    code = make_uscc("440106", org)
    assert validate_uscc(code) == code


def test_moe_code() -> None:
    assert validate_moe_code("4144012345") == "4144012345"
    with pytest.raises(ValidationFailed):
        validate_moe_code("41440123")
    with pytest.raises(ValidationFailed):
        validate_moe_code("4994012345")


def test_other_documents() -> None:
    assert validate_id_document(IdType.passport, "e1234567") == "E1234567"
    assert validate_id_document(IdType.hkmo_permit, "H12345678") == "H12345678"
    with pytest.raises(ValidationFailed):
        validate_id_document(IdType.hkmo_permit, "X12345678")


@given(st.sampled_from(sorted(PROVINCE_CODES)), st.integers(1, 10**10 - 1))
def test_account_numbers_carry_a_check_digit(prov: str, serial: int) -> None:
    no = make_account_no(prov, serial)
    assert validate_account_no(no) == no
    bad = no[:5] + str((int(no[5]) + 1) % 10) + no[6:]
    with pytest.raises(ValidationFailed):
        validate_account_no(bad)
