"""Identity numbers: national ID (GB 11643-1999), USCC (GB 32100-2015 with GB 11714),
school codes, other identity documents, masking, and the learning-account number.

Pure functions; raise `ValidationFailed` with a Chinese message on bad input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.text import clean

# GB/T 2260 provincial-level codes (first two digits of every region code and national ID).
PROVINCE_CODES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$", re.ASCII)
OLDEST_PLAUSIBLE_AGE = 120


class IdType(StrEnum):
    national_id = "national_id"  # 居民身份证
    passport = "passport"  # 护照
    hkmo_permit = "hkmo_permit"  # 港澳居民来往内地通行证
    tw_permit = "tw_permit"  # 台湾居民来往大陆通行证
    foreign_permanent = "foreign_permanent"  # 外国人永久居留身份证


ID_TYPE_LABELS: dict[IdType, str] = {
    IdType.national_id: "居民身份证",
    IdType.passport: "护照",
    IdType.hkmo_permit: "港澳居民来往内地通行证",
    IdType.tw_permit: "台湾居民来往大陆通行证",
    IdType.foreign_permanent: "外国人永久居留身份证",
}

_OTHER_ID_PATTERNS: dict[IdType, re.Pattern[str]] = {
    IdType.passport: re.compile(r"^[A-Z0-9]{5,17}$", re.ASCII),
    IdType.hkmo_permit: re.compile(r"^[HM]\d{8,10}$", re.ASCII),
    IdType.tw_permit: re.compile(r"^\d{8}$|^\d{10}$", re.ASCII),
    IdType.foreign_permanent: re.compile(r"^[A-Z]{3}\d{12}$|^9\d{17}$", re.ASCII),
}


def mod11_2_check(body: str) -> str:
    """ISO 7064 MOD 11-2 check character over the digits of `body` (as in GB 11643)."""
    weights = [pow(2, len(body) - i, 11) for i in range(len(body))]
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True, slots=True)
class NationalId:
    value: str

    @property
    def birth_date(self) -> date:
        v = self.value
        return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def province_code(self) -> str:
        return self.value[:2]

    @property
    def gender(self) -> str:
        """'M' or 'F', from the parity of the sequence code (17th digit)."""
        return "M" if int(self.value[16]) % 2 else "F"


def parse_national_id(raw: str, *, today: date | None = None) -> NationalId:
    """Validate an 18-character resident ID number (GB 11643-1999)."""
    value = normalize_id_number(raw)
    if len(value) == 15 and value.isascii() and value.isdigit():
        raise ValidationFailed("不支持15位旧身份证号，请使用18位居民身份证号", code="national_id_legacy")
    if not _ID_RE.match(value):
        raise ValidationFailed("身份证号应为18位：17位数字加1位数字或X", code="national_id_format")
    if value[:2] not in PROVINCE_CODES:
        raise ValidationFailed(
            f"身份证号前两位“{value[:2]}”不是有效的省级行政区划代码", code="national_id_region"
        )
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationFailed("身份证号中的出生日期不存在", code="national_id_birth") from None
    today = today or date.today()
    if born > today:
        raise ValidationFailed("身份证号中的出生日期晚于今天", code="national_id_birth")
    if today.year - born.year > OLDEST_PLAUSIBLE_AGE:
        raise ValidationFailed("身份证号中的出生日期不合理（超过120岁）", code="national_id_birth")
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise ValidationFailed("身份证号校验码错误", code="national_id_checksum")
    return NationalId(value)


def normalize_id_number(raw: str) -> str:
    """NFKC (full-width digits ４４０３ → 4403), zero-width characters and all spaces removed, upper case."""
    return "".join(clean(raw).split()).upper()


def validate_id_document(id_type: IdType, raw: str, *, today: date | None = None) -> str:
    """Return the normalised number of an identity document of `id_type`, or raise."""
    if id_type is IdType.national_id:
        return parse_national_id(raw, today=today).value
    value = normalize_id_number(raw)
    if not _OTHER_ID_PATTERNS[id_type].match(value):
        raise ValidationFailed(f"{ID_TYPE_LABELS[id_type]}号码格式不正确", code="id_document_format")
    return value


def mask_id_number(value: str) -> str:
    """Show the first four and last four characters only: 1101**********002X."""
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 1)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# --- GB 32100-2015 unified social credit code, with the GB 11714 organisation code inside ---

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_RE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$")


def uscc_check_char(body17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def validate_uscc(raw: str) -> str:
    value = clean(raw).upper()
    if len(value) != 18 or not _USCC_RE.match(value):
        raise ValidationFailed(
            "统一社会信用代码应为18位，由数字和除 I、O、Z、S、V 以外的大写字母组成", code="uscc_format"
        )
    if value[2:4] not in PROVINCE_CODES:
        raise ValidationFailed(f"统一社会信用代码中的行政区划代码“{value[2:8]}”无效", code="uscc_region")
    if org_code_check_char(value[8:16]) != value[16]:
        raise ValidationFailed(
            "统一社会信用代码中的组织机构代码校验码错误（GB 11714）", code="uscc_org_checksum"
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise ValidationFailed("统一社会信用代码校验码错误（GB 32100）", code="uscc_checksum")
    return value


def validate_moe_code(raw: str) -> str:
    value = clean(raw)
    if not re.fullmatch(r"[0-9]{10}", value):
        raise ValidationFailed("学校标识码应为10位数字", code="moe_code_format")
    if value[1:3] not in PROVINCE_CODES:
        raise ValidationFailed(
            f"学校标识码第2—3位“{value[1:3]}”不是有效的省级行政区划代码", code="moe_code_region"
        )
    return value


def validate_region_code(raw: str) -> str:
    value = clean(raw)
    if not re.fullmatch(r"[0-9]{6}", value) or value[:2] not in PROVINCE_CODES:
        raise ValidationFailed(f"行政区划代码“{value}”无效（应为 GB/T 2260 六位代码）", code="region_code")
    return value


# --- learning-account numbers: province (2) + serial (10) + MOD 11-2 check ---


def make_account_no(province_code: str, serial: int) -> str:
    body = f"{province_code}{serial:010d}"
    return body + mod11_2_check(body)


def validate_account_no(raw: str) -> str:
    value = clean(raw).upper()
    if not re.fullmatch(r"[0-9]{12}[0-9X]", value) or mod11_2_check(value[:12]) != value[12]:
        raise ValidationFailed(f"学习账号“{value}”无效（13位，末位为校验码）", code="account_no")
    return value


# --- generators of checksum-valid numbers (demo data and tests; never real people) ---


def make_national_id(region_code: str, born: date, sequence: int) -> str:
    """A checksum-valid 18-character ID: region (6) + birth date (8) + sequence (3) + check."""
    body = f"{region_code}{born:%Y%m%d}{sequence % 1000:03d}"
    return body + mod11_2_check(body)


def make_uscc(region_code: str, org_body: str, *, authority: str = "5", kind: str = "2") -> str:
    """A checksum-valid USCC: authority, type, region (6), organisation code (8 + GB 11714 check), check.

    Authority 5 / type 2 is a 民办非企业单位; 1/2 a public institution (事业单位); 9/1 a company."""
    org = org_body.upper()
    body = f"{authority}{kind}{region_code}{org}{org_code_check_char(org)}"
    return body + uscc_check_char(body)


# The import template's example rows (issue 8 item 5) carry ID numbers that cannot be anyone's: the
# birth date is 30 February, which no calendar has, while region, length and check digit look right.
# The import recognises them by that date and skips those rows with a note.
EXAMPLE_BIRTH_DATE = "20040230"


def example_national_id(sequence: int, region_code: str = "440103") -> str:
    """An ID number for examples and templates: well formed, checksum-valid, born on 30 February."""
    body = f"{region_code}{EXAMPLE_BIRTH_DATE}{sequence % 1000:03d}"
    return body + mod11_2_check(body)


def is_example_national_id(text: str) -> bool:
    """True for a number made by `example_national_id` (NFKC, spaces and zero-width characters ignored)."""
    value = "".join(
        ch for ch in unicodedata.normalize("NFKC", text).upper() if not ch.isspace() and ch not in _ZERO_WIDTH
    )
    return (
        len(value) == 18
        and value[6:14] == EXAMPLE_BIRTH_DATE
        and value[:17].isascii()
        and value[:17].isdigit()
        and mod11_2_check(value[:17]) == value[17]
    )


_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
