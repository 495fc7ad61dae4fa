from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.factories import World, national_id
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank import accounts


def test_one_account_per_person(world: World) -> None:
    """Issue 8 item 2: opening again with the same name and number is idempotent (the one account);
    with another name the answer is the same "姓名与证件号码不符" whether or not the number has an
    account, and an outsider who proved the person gets no more than an issuer would see."""
    again = accounts.open_account(
        world.platform.uow(), world.p("school_staff"), name="李明", id_type=IdType.national_id,
        id_number=national_id(1), institution_id=world.school.id,
    )  # fmt: skip
    assert again == world.learner_account
    outsider = accounts.open_account(
        world.platform.uow(), world.p("certifier"), name=" 李明\u200b", id_type=IdType.national_id,
        id_number=national_id(1),
    )  # fmt: skip
    assert outsider.account_no == world.learner_account.account_no and outsider.institution_id is None
    with world.platform.uow().read() as uow:
        assert uow.accounts.list(offset=0, limit=10)[1] == 1  # nothing new was opened
    with pytest.raises(ValidationFailed) as taken:
        accounts.open_account(
            world.platform.uow(), world.p("other_staff"), name="王五", id_type=IdType.national_id,
            id_number=national_id(1), institution_id=world.other_school.id,
        )  # fmt: skip
    assert str(taken.value) == "姓名与证件号码不符" and taken.value.field == "name"


def test_identity_number_is_encrypted_indexed_and_masked(world: World) -> None:
    number = national_id(1)
    acc = world.learner_account
    assert acc.id_masked == number[:4] + "*" * 10 + number[-4:]
    with world.platform.engine.connect() as c:
        row = c.execute(text("select * from learning_accounts where id = :i"), {"i": acc.id}).mappings().one()
    assert number.encode() not in bytes(row["id_number_enc"])
    assert number not in str(dict(row))
    assert world.platform.vault.decrypt(bytes(row["id_number_enc"])) == number
    found = accounts.find_account_by_id_number(
        world.platform.uow(), world.p("national"), IdType.national_id, number
    )
    assert found.id == acc.id


def test_account_number_has_a_check_digit(world: World) -> None:
    no = world.learner_account.account_no
    assert accounts.get_account(world.platform.uow(), world.p("learner"), no).id == world.learner_account.id
    wrong = no[:-1] + ("0" if no[-1] != "0" else "1")
    with pytest.raises(NotFound):
        accounts.get_account(world.platform.uow(), world.p("learner"), wrong)


@pytest.mark.parametrize("who", ["learner", "school_staff", "gd_admin", "national"])
def test_who_may_see_the_account(world: World, who: str) -> None:
    assert accounts.get_account(world.platform.uow(), world.p(who), world.learner_account.account_no)


@pytest.mark.parametrize("who", ["other_staff", "far_staff", "hn_admin", "certifier"])
def test_who_may_not_see_the_account(world: World, who: str) -> None:
    with pytest.raises(NotFound):
        accounts.get_account(world.platform.uow(), world.p(who), world.learner_account.account_no)


def test_staff_cannot_open_accounts_for_another_school(world: World) -> None:
    with pytest.raises(Forbidden):
        accounts.open_account(
            world.platform.uow(), world.p("school_staff"), name="王芳", id_type=IdType.national_id,
            id_number=national_id(2), institution_id=world.other_school.id,
        )  # fmt: skip


def test_listing_is_scoped(world: World) -> None:
    uow = world.platform.uow
    assert accounts.list_accounts(uow(), world.p("school_staff")).total == 1
    assert accounts.list_accounts(uow(), world.p("other_staff")).total == 0
    assert accounts.list_accounts(uow(), world.p("gd_admin")).total == 1
    assert accounts.list_accounts(uow(), world.p("hn_admin")).total == 0
    with pytest.raises(Forbidden):
        accounts.list_accounts(uow(), world.p("school_staff"), institution_id=world.other_school.id)


def test_passport_accounts_record_the_document_type(world: World) -> None:
    acc = accounts.open_account(
        world.platform.uow(),
        world.p("gd_admin"),
        name="John Smith",
        id_type=IdType.passport,
        id_number="E12345678",
    )
    assert acc.id_type is IdType.passport
    assert acc.id_masked == "E123*5678"
