"""A school moves an admitted candidate to another major of the same group by hand (issue 11: “A school:
sees its dispatched candidates, places them into majors, records 退档 with a reason”), through the one
service path, on SQLite and PostgreSQL: free place (计划数) checked, recorded with who/when/why in the run's
record, scope (another school: 404), refusals (full major, another group, locked run) in Chinese and
English."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.factories import World
from zhijiao.adapters.admissions.policy_io import policy_template
from zhijiao.adapters.db.admissions_repository import AdmissionsRepository
from zhijiao.bootstrap import Platform
from zhijiao.domain.errors import DomainError
from zhijiao.services.admissions import published

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
EN = {"Accept-Language": "en"}
# G001 (the school): 3 places split 1/1/1 among 01, 02, 03; K001 takes 01, K002 takes 02, 03 stays free.
MAJORS = (
    "专业组代码,专业代码,专业名称,计划数\nG001,01,数控技术,1\nG001,02,模具设计,1\nG001,03,工业机器人技术,1\n"
    "G002,01,电工,1\n"
)
CANDIDATES = (
    "考生号,姓名,考生类别,文化素质成绩,职业技能成绩,志愿1,志愿2,服从调剂\n"
    "K001,张三,普通,200,400,G001:01,,是\n"
    "K002,李四,普通,210,380,G001:02,,是\n"
    "K003,王五,普通,150,300,G002,,是\n"
)


def _publish(client: TestClient, world: World) -> int:
    programmes = (f"专业组代码,院校代码,院校名称,计划数\nG001,{world.school.moe_code},{world.school.name},3\n"
                  f"G002,{world.other_school.moe_code},{world.other_school.name},1\n")  # fmt: skip
    files = {"policy": ("P.yaml", policy_template().encode()), "programmes": ("G.csv", programmes.encode()),
             "majors": ("M.csv", MAJORS.encode()), "candidates": ("C.csv", CANDIDATES.encode())}  # fmt: skip
    r = client.post("/api/v1/admissions/runs", files=files, headers=token_for(client, "gd_admin"))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _result(client: TestClient, rid: int, no: str) -> dict[str, object]:
    page = client.get(f"/api/v1/admissions/runs/{rid}/results", headers=token_for(client, "gd_admin")).json()
    return next(i for i in page["items"] if i["candidate_no"] == no)


def test_a_school_moves_a_candidate_to_a_free_major(client: TestClient, world: World) -> None:
    rid = _publish(client, world)
    assert (
        _result(client, rid, "K001")["major_code"] == "01"
        and _result(client, rid, "K002")["major_code"] == "02"
    )
    staff = token_for(client, "school_staff")
    majors = client.get(f"/api/v1/admissions/runs/{rid}/majors", headers=staff).json()
    assert [(m["group_code"], m["major_code"], m["quota"], m["admitted"]) for m in majors] == [
        ("G001", "01", 1, 1),
        ("G001", "02", 1, 1),
        ("G001", "03", 1, 0),
    ]  # fmt: skip  (the school sees only its group)
    url = f"/api/v1/admissions/runs/{rid}/moves"
    r = client.post(
        url, json={"candidate_no": "K001", "major_code": "03", "reason": "本人申请、色弱"}, headers=staff
    )
    assert r.status_code == 200, r.text
    assert r.json()["major_code"] == "03" and r.json()["result"] == "录取"
    assert r.json()["reason"].endswith("；院校调整专业：01 → 03（本人申请、色弱）")
    assert _result(client, rid, "K001")["major_code"] == "03"
    after = {
        m["major_code"]: m["admitted"]
        for m in client.get(f"/api/v1/admissions/runs/{rid}/majors", headers=staff).json()
    }
    assert after == {"01": 0, "02": 0 + 1, "03": 1}
    line = next(ln for ln in client.get(f"/api/v1/admissions/runs/{rid}", headers=staff).json()["lines"]
                if ln["group_code"] == "G001")  # fmt: skip
    assert line["admitted"] == 2  # the group's count is unchanged by a move inside it
    # the run's record: who, when, what, why
    record = client.get(f"/api/v1/admissions/runs/{rid}", headers=token_for(client, "gd_admin")).json()[
        "record"
    ]
    (change,) = record["school_changes"]
    assert change["kind"] == "move" and change["by"] == "institution_staff:school_staff"
    assert (change["candidate_no"], change["group_code"], change["from_major"], change["to_major"]) == (
        "K001",
        "G001",
        "01",
        "03",
    )
    assert change["reason"] == "本人申请、色弱" and change["at"].endswith("+00:00")
    assert record["inputs"] and record["outputs"]  # the recomputable part is kept as it was
    # the freed place can be taken again; the English reason on the lookup is the record's Chinese
    assert (
        client.post(
            url, json={"candidate_no": "K001", "major_code": "01", "reason": "改回"}, headers=staff
        ).status_code
        == 200
    )


def test_refusals(client: TestClient, world: World) -> None:
    rid = _publish(client, world)
    url = f"/api/v1/admissions/runs/{rid}/moves"
    staff = token_for(client, "school_staff")

    def move(
        body: dict[str, str], headers: dict[str, str] = staff, lang: dict[str, str] | None = None
    ) -> object:
        return client.post(
            url, json={"candidate_no": "K001", "reason": "理由", **body}, headers={**headers, **(lang or {})}
        )

    full = move({"major_code": "02"})
    assert (
        full.status_code == 409
        and full.json()["title"] == "专业 02（模具设计）计划数 1 已录满（已录取 1 人），不能调入"
    )
    en = move({"major_code": "02"}, lang=EN)
    assert (
        en.json()["title"] == "Major 02 (“模具设计”) is full: 1 admitted for 1 places; nobody can be moved in"
    )
    assert en.json()["type"] == full.json()["type"]
    other = move({"major_code": "01", "group_code": "G002"})
    assert other.status_code == 422 and "只能在同一专业组内调整专业" in other.json()["title"]
    assert move({"major_code": "09"}).status_code == 422
    same = move({"major_code": "01"})
    assert same.status_code == 422 and same.json()["title"] == "考生 K001 已在专业 01"
    assert move({"major_code": "03", "reason": "  "}).status_code == 422
    for r in (move({"major_code": "01", "group_code": "G002"}, lang=EN), move({"major_code": "09"}, lang=EN),
              move({"major_code": "03", "reason": ""}, lang=EN)):  # fmt: skip
        assert not CJK.search(r.json()["title"]), r.json()
    # scope: another school, another province's school and office, a learner: 404 as for an unknown number
    for user in ("other_staff", "far_staff", "hn_admin", "liming"):
        denied = move({"major_code": "03"}, headers=token_for(client, user))
        assert denied.status_code == 404, (user, denied.text)
    unknown = client.post(
        url, json={"candidate_no": "K999", "major_code": "03", "reason": "x"}, headers=staff
    )
    assert unknown.status_code == 404
    assert move({"major_code": "03"}, headers=token_for(client, "gd_admin")).status_code == 403
    other_school = client.post(
        url, json={"candidate_no": "K003", "major_code": "01", "reason": "x"}, headers=staff
    )
    assert other_school.status_code == 404 and other_school.json() == unknown.json()
    # a rejected candidate cannot be moved
    assert client.post(f"/api/v1/admissions/runs/{rid}/rejections", json={"candidate_no": "K002", "reason": "体检"},
                       headers=staff).status_code == 200  # fmt: skip
    rejected = client.post(
        url, json={"candidate_no": "K002", "major_code": "03", "reason": "x"}, headers=staff
    )
    assert rejected.status_code == 422 and "只能调整已录取考生的专业" in rejected.json()["title"]
    # nothing above changed K001
    assert _result(client, rid, "K001")["major_code"] == "01"


def test_a_locked_run_refuses_moves_and_rejections(client: TestClient, world: World) -> None:
    rid = _publish(client, world)
    lock = f"/api/v1/admissions/runs/{rid}/lock"
    assert client.post(lock, headers=token_for(client, "school_staff")).status_code == 403
    assert client.post(lock, headers=token_for(client, "hn_admin")).status_code == 404
    done = client.post(lock, headers=token_for(client, "gd_admin"))
    assert done.status_code == 200 and done.json()["locked"] is True
    assert client.post(lock, headers=token_for(client, "gd_admin")).status_code == 409
    staff = token_for(client, "school_staff")
    moved = client.post(f"/api/v1/admissions/runs/{rid}/moves",
                        json={"candidate_no": "K001", "major_code": "03", "reason": "x"}, headers=staff)  # fmt: skip
    assert moved.status_code == 409 and "锁定" in moved.json()["title"]
    rejected = client.post(f"/api/v1/admissions/runs/{rid}/rejections",
                           json={"candidate_no": "K001", "reason": "x"}, headers={**staff, **EN})  # fmt: skip
    assert rejected.status_code == 409 and "locked" in rejected.json()["title"]
    # out of scope still answers 404, not the lock
    far = client.post(f"/api/v1/admissions/runs/{rid}/moves", json={"candidate_no": "K001", "major_code": "03",
                      "reason": "x"}, headers=token_for(client, "other_staff"))  # fmt: skip
    assert far.status_code == 404
    assert _result(client, rid, "K001")["major_code"] == "01"


def test_two_moves_into_the_last_free_place_admit_one(
    client: TestClient, world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Concurrent moves of K001 and K002 into 03 (one free place): the run's row is locked for the
    change, so exactly one succeeds and the other is told the major is full. (Each move pauses after
    reading the majors' counts, so without the lock both would read a free place.)"""
    rid = _publish(client, world)
    read_majors = AdmissionsRepository.majors

    def slow_majors(self: AdmissionsRepository, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        found = read_majors(self, *args, **kwargs)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(AdmissionsRepository, "majors", slow_majors)
    staff = world.p("school_staff")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def go(no: str) -> None:
        barrier.wait()
        try:
            published.school_move(platform.uow(), staff, rid, no, "03", "并发")
            outcomes.append("ok")
        except DomainError as e:
            outcomes.append(e.code)

    threads = [threading.Thread(target=go, args=(no,)) for no in ("K001", "K002")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    in_03 = [no for no in ("K001", "K002") if _result(client, rid, no)["major_code"] == "03"]
    assert len(in_03) == 1, outcomes
    assert sorted(outcomes) == ["admission_major_full", "ok"], outcomes
