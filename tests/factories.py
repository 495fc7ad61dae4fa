"""A small world to act in: two provinces, schools, a certifier, an enterprise and a user of each role.

Everything is made through the services, as a user would make it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhijiao.bootstrap import Platform
from zhijiao.domain.access import SYSTEM, Principal, Role
from zhijiao.domain.creditbank.model import Institution, InstitutionKind, LearningAccount
from zhijiao.domain.identity import IdType, make_national_id, make_uscc
from zhijiao.services import institutions, users
from zhijiao.services.creditbank import accounts
from zhijiao.services.creditbank.accounts import PersonProof
from zhijiao.services.users import principal_of

PASSWORD = "correct-horse-battery"


def national_id(n: int, region: str = "440103", born: date = date(2004, 5, 6)) -> str:
    return make_national_id(region, born, n)


@dataclass
class World:
    platform: Platform
    school: Institution  # 广东 higher-vocational school
    other_school: Institution  # another 广东 school
    far_school: Institution  # a school in 湖南
    certifier: Institution
    enterprise: Institution
    principals: dict[str, Principal]
    learner_account: LearningAccount

    def p(self, name: str) -> Principal:
        return self.principals[name]

    def knows_learner(self) -> PersonProof:
        """李明's name and ID number: what a school or certifier outside his scope gives to record
        into his account (decision 0016)."""
        return PersonProof("李明", national_id(1))


def _institution(
    platform: Platform, name: str, kind: InstitutionKind, region: str, org: str, moe: str | None
) -> Institution:
    return institutions.register_institution(
        platform.uow(), SYSTEM, name=name, kind=kind, region_code=region,
        moe_code=moe, uscc=make_uscc(region, org, authority="1" if moe else "9", kind="2" if moe else "1"),
    )  # fmt: skip


def _user(platform: Platform, username: str, role: Role, **scope: object) -> Principal:
    users.create_user(
        platform.uow(), username=username, password=PASSWORD, role=role, display_name=username, **scope
    )  # type: ignore[arg-type]
    with platform.uow().read() as uow:
        row = uow.users.by_username(username)
    return principal_of(row)


def build_world(platform: Platform) -> World:
    school = _institution(
        platform, "广州番禺职业技术学院", InstitutionKind.higher, "440113", "45560001", "4144012345"
    )
    other = _institution(
        platform, "广东轻工职业技术学院", InstitutionKind.higher, "440105", "45560002", "4144012346"
    )
    far = _institution(
        platform, "湖南铁道职业技术学院", InstitutionKind.higher, "430211", "44460003", "4143012347"
    )
    certifier = _institution(
        platform, "工业和信息化部教育与考试中心", InstitutionKind.certifier, "110108", "71780004", None
    )
    enterprise = _institution(
        platform, "广州数控设备有限公司", InstitutionKind.enterprise, "440111", "61880005", None
    )
    p = {
        "national": _user(platform, "national", Role.national_admin),
        "gd_admin": _user(platform, "gd_admin", Role.province_admin, province_code="44"),
        "hn_admin": _user(platform, "hn_admin", Role.province_admin, province_code="43"),
        "school_staff": _user(platform, "school_staff", Role.institution_staff, institution_id=school.id),
        "other_staff": _user(platform, "other_staff", Role.institution_staff, institution_id=other.id),
        "far_staff": _user(platform, "far_staff", Role.institution_staff, institution_id=far.id),
        "certifier": _user(platform, "certifier", Role.certifier, institution_id=certifier.id),
    }
    account = accounts.open_account(
        platform.uow(), p["school_staff"], name="李明", id_type=IdType.national_id,
        id_number=national_id(1), institution_id=school.id,
    )  # fmt: skip
    p["learner"] = _user(platform, "liming", Role.learner, account_id=account.id)
    return World(platform, school, other, far, certifier, enterprise, p, account)
