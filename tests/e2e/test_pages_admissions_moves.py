"""The school's page: a form on the candidate list moves an admitted candidate to another major of the
group (select target major + reason); the majors' places and the record of changes are shown; another
school gets the 404 page; once the office locks the run the forms are gone and a post is refused."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.e2e.conftest import SignIn
from tests.e2e.test_api_admissions_moves import CANDIDATES, MAJORS
from tests.factories import World
from zhijiao.adapters.admissions.policy_io import policy_template

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")


def _publish(client: TestClient, world: World) -> int:
    programmes = (f"专业组代码,院校代码,院校名称,计划数\nG001,{world.school.moe_code},{world.school.name},3\n"
                  f"G002,{world.other_school.moe_code},{world.other_school.name},1\n")  # fmt: skip
    files = {"policy": ("P.yaml", policy_template().encode()), "programmes": ("G.csv", programmes.encode()),
             "majors": ("M.csv", MAJORS.encode()), "candidates": ("C.csv", CANDIDATES.encode())}  # fmt: skip
    r = client.post("/admissions/runs", files=files, data={"action": "publish"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def test_school_moves_a_candidate_from_the_list(client: TestClient, world: World, sign_in: SignIn) -> None:
    sign_in("gd_admin")
    rid = _publish(client, world)
    assert 'data-testid="lock-form"' in client.get(f"/admissions/runs/{rid}").text
    sign_in("school_staff")
    page = client.get(f"/admissions/runs/{rid}").text
    form = re.search(r'<form[^>]*data-testid="move-K001".*?</form>', page, re.S)
    assert form, page
    options = re.findall(r'<option value="(\w+)"( disabled)?>', form[0])
    assert options == [
        ("02", " disabled"),
        ("03", ""),
    ]  # its own major is not offered; a full one is disabled
    assert 'data-testid="move-K003"' not in page  # dispatched elsewhere: not on this school's list
    assert 'data-major="G001:03"' in page and 'data-major="G002:01"' not in page
    full = client.post(
        f"/admissions/runs/{rid}/move", data={"candidate_no": "K001", "major_code": "02", "reason": "x"}
    )
    assert full.status_code == 422 and "已录满" in full.text
    full_en = client.post(
        f"/admissions/runs/{rid}/move?lang=en", data={"candidate_no": "K001", "major_code": "02", "reason": "x"}
    )
    assert "Major 02 (“模具设计”) is full: 1 admitted for 1 places" in full_en.text
    done = client.post(
        f"/admissions/runs/{rid}/move",
        data={"candidate_no": "K001", "major_code": "03", "reason": "本人申请"},
    )
    assert done.status_code == 200 and 'data-testid="notice"' in done.text
    changes = re.search(r'<table data-testid="changes">.*?</table>', done.text, re.S)
    assert changes and "K001" in changes[0] and "本人申请" in changes[0] and "school_staff" in changes[0]
    assert "institution_staff:" not in changes[0]  # the user, not the internal actor
    row = re.search(r'<tr data-candidate="K001">.*?</tr>', done.text, re.S)
    assert row and "<td>03</td>" in row[0]
    # English: the new parts of the page are translated
    en = client.get(f"/admissions/runs/{rid}?lang=en").text
    assert (
        "Move to another major" in en and "Majors and places" in en and "Rejections and moves by schools" in en
    )
    for label in ("调整专业", "专业计划", "学校的退档与专业调整", "调入专业", "调整理由", "尚余"):
        assert label not in en, label
    # another school: the 404 page, nothing changed
    sign_in("other_staff")
    denied = client.post(
        f"/admissions/runs/{rid}/move", data={"candidate_no": "K001", "major_code": "01", "reason": "x"}
    )
    assert denied.status_code == 404
    # the office locks: the forms are gone and a post is refused
    sign_in("gd_admin")
    locked = client.post(f"/admissions/runs/{rid}/lock")
    assert (
        locked.status_code == 200
        and 'data-testid="locked"' in locked.text
        and 'data-testid="lock-form"' not in locked.text
    )
    sign_in("school_staff")
    page = client.get(f"/admissions/runs/{rid}").text
    assert 'data-testid="move-K001"' not in page and 'data-testid="reject-form"' not in page
    refused = client.post(
        f"/admissions/runs/{rid}/move", data={"candidate_no": "K001", "major_code": "01", "reason": "x"}
    )
    assert refused.status_code == 422 and "锁定" in refused.text
    row = re.search(r'<tr data-candidate="K001">.*?</tr>', page, re.S)
    assert row and "<td>03</td>" in row[0]
