"""Admissions API: the office runs and publishes; a school sees only its candidates; a candidate looks up
their own result with 考生号 + 姓名; out of scope is 404; errors are problem+json in Chinese."""

from __future__ import annotations

from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import token_for
from tests.factories import World
from tests.integration.test_admissions_cli import CANDIDATES, MAJORS
from zhijiao.adapters.admissions.policy_io import policy_template


def _programmes(world: World) -> str:
    return (f"专业组代码,院校代码,院校名称,计划数\nG001,{world.school.moe_code},{world.school.name},2\n"
            f"G002,{world.other_school.moe_code},{world.other_school.name},1\n")  # fmt: skip


def _upload(client: TestClient, world: World, user: str, *, policy: str | None = None) -> object:
    files = {
        "policy": ("P.yaml", (policy or policy_template()).encode()),
        "programmes": ("G.csv", _programmes(world).encode()),
        "majors": ("M.csv", MAJORS.encode()),
        "candidates": ("C.csv", CANDIDATES.encode("gbk")),
    }
    return client.post("/api/v1/admissions/runs", files=files, headers=token_for(client, user))


def test_office_runs_school_sees_its_own_candidate_looks_up(client: TestClient, world: World) -> None:
    assert world.school.moe_code and world.other_school.moe_code
    r = _upload(client, world, "gd_admin")
    assert r.status_code == 201, r.text
    run = r.json()
    assert run["counts"]["candidates"] == 5 and run["record"]["inputs"][0]["sha256"]
    rid = run["id"]
    # the school: only its group and the candidates dispatched to it
    staff = token_for(client, "school_staff")
    view = client.get(f"/api/v1/admissions/runs/{rid}", headers=staff).json()
    assert [ln["group_code"] for ln in view["lines"]] == ["G001"] and view["record"] is None
    page = client.get(f"/api/v1/admissions/runs/{rid}/results", headers=staff).json()
    assert {i["candidate_no"] for i in page["items"]} == {"K001", "K002"}
    other = client.get(
        f"/api/v1/admissions/runs/{rid}/results", headers=token_for(client, "other_staff")
    ).json()
    assert {i["candidate_no"] for i in other["items"]} == {"K003"}
    # the office sees everyone and can export
    office = token_for(client, "gd_admin")
    assert client.get(f"/api/v1/admissions/runs/{rid}/results", headers=office).json()["total"] == 5
    x = client.get(f"/api/v1/admissions/runs/{rid}/export.xlsx", headers=office)
    assert x.status_code == 200
    assert load_workbook(BytesIO(x.content)).sheetnames == ["录取结果", "投档线"]
    # out of scope: another province's office, a school elsewhere, a learner — all 404, same body
    for user in ("hn_admin", "far_staff", "liming"):
        denied = client.get(f"/api/v1/admissions/runs/{rid}", headers=token_for(client, user))
        assert denied.status_code == 404 and denied.json()["title"] == "录取批次不存在或无权查看", user
    missing = client.get("/api/v1/admissions/runs/999999", headers=office)
    assert missing.json() == denied.json() | {"status": 404}
    # the candidate: 考生号 + 姓名; a wrong name answers like an unknown number
    me = client.post("/api/v1/admissions/lookup", json={"candidate_no": "K003", "name": "王五"})
    assert me.status_code == 200 and me.json()["result"] == "录取" and me.json()["group_code"] == "G002"
    wrong = client.post("/api/v1/admissions/lookup", json={"candidate_no": "K003", "name": "王六"})
    unknown = client.post("/api/v1/admissions/lookup", json={"candidate_no": "K999", "name": "王五"})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()


def test_only_the_provinces_office_may_run(client: TestClient, world: World) -> None:
    r = _upload(client, world, "school_staff")
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    r = _upload(client, world, "hn_admin")  # the policy is province 44's
    assert r.status_code == 403 and "本省" in r.json()["title"]


def test_refused_policy_and_bad_files_are_problems_in_chinese(client: TestClient, world: World) -> None:
    r = _upload(
        client, world, "gd_admin", policy=policy_template().replace("full_marks: 450", "full_marks: 200")
    )
    assert r.status_code == 422 and "40.0%" in r.json()["title"]
    files = {"policy": ("P.yaml", policy_template().encode()), "programmes": ("G.csv", _programmes(world).encode()),
             "candidates": ("C.csv", (CANDIDATES + "K9,,,x,1,G404,,是\n").encode())}  # fmt: skip
    r = client.post("/api/v1/admissions/runs", files=files, headers=token_for(client, "gd_admin"))
    assert (
        r.status_code == 422
        and "第 7 行“志愿1”" in r.json()["title"]
        and "第 7 行“姓名”" in r.json()["title"]
    )


def test_schema_and_template_are_public(client: TestClient) -> None:
    schema = client.get("/api/v1/admissions/policy-schema").json()
    assert schema["properties"]["dispatch_ratio"]["maximum"] == 1.05
    assert "tie_break" in client.get("/api/v1/admissions/policy-template").text


def test_school_records_a_rejection_with_a_reason(client: TestClient, world: World) -> None:
    rid = _upload(client, world, "gd_admin").json()["id"]  # type: ignore[attr-defined]
    url = f"/api/v1/admissions/runs/{rid}/rejections"
    body = {"candidate_no": "K001", "reason": "体检不合格"}
    for user in ("other_staff", "far_staff", "hn_admin"):  # not the school it was dispatched to: 404
        assert client.post(url, json=body, headers=token_for(client, user)).status_code == 404, user
    assert client.post(url, json=body, headers=token_for(client, "gd_admin")).status_code == 403
    staff = token_for(client, "school_staff")
    r = client.post(url, json=body, headers=staff)
    assert (
        r.status_code == 200
        and r.json()["result"] == "退档"
        and r.json()["reason"].endswith("院校退档：体检不合格")
    )
    again = client.post(url, json=body, headers=staff)
    assert again.status_code == 422 and again.headers["content-type"].startswith("application/problem+json")
    line = next(ln for ln in client.get(f"/api/v1/admissions/runs/{rid}", headers=staff).json()["lines"]
                if ln["group_code"] == "G001")  # fmt: skip
    assert line["admitted"] == 0  # K002 was already 退档 by placement; K001 now too
