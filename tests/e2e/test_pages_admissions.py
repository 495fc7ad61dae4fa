"""分类考试招生 pages over HTTP: the office tries and publishes a run, a school sees only its own candidates
and records 退档 with a reason, a candidate looks up their result by POST; out of scope is a 404 page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.e2e.conftest import SignIn
from tests.e2e.test_api_admissions import _programmes
from tests.factories import World
from tests.integration.test_admissions_cli import CANDIDATES, MAJORS
from zhijiao.adapters.admissions.policy_io import policy_template


def _files(world: World) -> dict[str, tuple[str, bytes]]:
    return {
        "policy": ("P.yaml", policy_template().encode()),
        "programmes": ("G.csv", _programmes(world).encode()),
        "majors": ("M.csv", MAJORS.encode()),
        "candidates": ("C.csv", CANDIDATES.encode("gbk")),
    }


def _publish(client: TestClient, world: World) -> int:
    r = client.post(
        "/admissions/runs", files=_files(world), data={"action": "publish"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def test_office_previews_then_publishes_and_sees_lines(
    client: TestClient, world: World, sign_in: SignIn
) -> None:
    sign_in("gd_admin")
    assert "/admissions/runs" in client.get("/province").text  # nav entry
    r = client.post("/admissions/runs", files=_files(world), data={"action": "preview"})
    assert r.status_code == 200 and 'data-testid="preview"' in r.text
    assert 'data-testid="no-runs"' in r.text  # a preview stores nothing
    rid = _publish(client, world)
    page = client.get(f"/admissions/runs/{rid}")
    assert page.status_code == 200 and 'data-group="G001"' in page.text and 'data-group="G002"' in page.text
    for no in ("K001", "K002", "K003", "K004", "K005"):
        assert f'data-candidate="{no}"' in page.text
    x = client.get(f"/admissions/runs/{rid}/export.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    # a bad file: every problem on the page, nothing published
    bad = _files(world) | {"candidates": ("C.csv", "考生号,姓名\nK1,\n".encode())}
    r = client.post("/admissions/runs", files=bad, data={"action": "publish"})
    assert r.status_code == 422 and "C.csv" in r.text
    assert client.get("/admissions/runs").text.count("/admissions/runs/") == 2  # one run, two links


def test_school_sees_only_its_candidates_and_records_a_rejection(
    client: TestClient, world: World, sign_in: SignIn
) -> None:
    sign_in("gd_admin")
    rid = _publish(client, world)
    sign_in("school_staff")
    page = client.get(f"/admissions/runs/{rid}")
    assert page.status_code == 200
    assert 'data-candidate="K001"' in page.text and 'data-candidate="K003"' not in page.text
    assert 'data-group="G002"' not in page.text
    # a candidate dispatched elsewhere: the same 404 as an unknown number
    other = client.post(
        f"/admissions/runs/{rid}/reject", data={"candidate_no": "K003", "reason": "体检不合格"}
    )
    unknown = client.post(
        f"/admissions/runs/{rid}/reject", data={"candidate_no": "K999", "reason": "体检不合格"}
    )
    assert other.status_code == unknown.status_code == 404
    assert (
        client.post(
            f"/admissions/runs/{rid}/reject", data={"candidate_no": "K001", "reason": " "}
        ).status_code
        == 422
    )
    done = client.post(
        f"/admissions/runs/{rid}/reject", data={"candidate_no": "K001", "reason": "体检不合格"}
    )
    assert done.status_code == 200 and 'data-testid="notice"' in done.text
    me = client.post("/admissions/lookup", data={"candidate_no": "K001", "name": "张三"})
    assert "院校退档：体检不合格" in me.text and ">退档<" in me.text
    # the other school cannot see or reject this school's candidate; another province sees no run
    sign_in("other_staff")
    assert (
        client.post(
            f"/admissions/runs/{rid}/reject", data={"candidate_no": "K002", "reason": "x"}
        ).status_code
        == 404
    )
    for user in ("hn_admin", "far_staff"):
        sign_in(user)
        denied = client.get(f"/admissions/runs/{rid}")
        assert denied.status_code == 404 and "录取批次不存在或无权查看" in denied.text
        assert client.get(f"/admissions/runs/{rid}/export.xlsx").status_code == 404
        assert f"/admissions/runs/{rid}" not in client.get("/admissions/runs").text


def test_candidate_looks_up_by_post_and_a_wrong_name_reveals_nothing(
    client: TestClient, world: World, sign_in: SignIn
) -> None:
    sign_in("gd_admin")
    _publish(client, world)
    client.cookies.clear()
    form = client.get("/admissions/lookup")
    assert form.status_code == 200 and 'method="post"' in form.text
    ok = client.post("/admissions/lookup", data={"candidate_no": "K003", "name": "王五"})
    assert ok.status_code == 200 and 'data-testid="found"' in ok.text and "G002" in ok.text
    wrong = client.post("/admissions/lookup", data={"candidate_no": "K003", "name": "王六"})
    unknown = client.post("/admissions/lookup", data={"candidate_no": "K999", "name": "王六"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.text.replace("K003", "K999") == unknown.text
    en = client.post("/admissions/lookup?lang=en", data={"candidate_no": "K003", "name": "王五"})
    assert "Admission result" in en.text and "admitted" in en.text


def test_where_the_office_issued_a_query_code_it_is_required(client: TestClient, world: World, sign_in: SignIn) -> None:
    sign_in("gd_admin")
    head, *rows = CANDIDATES.strip().split("\n")
    with_codes = "\n".join([head + ",查询码", *(f"{r},Q{n:05d}" for n, r in enumerate(rows, start=1))]) + "\n"
    bad = with_codes.replace("Q00002", "Q!")
    r = client.post("/admissions/runs", files=_files(world) | {"candidates": ("C.csv", bad.encode())},
                    data={"action": "publish"})  # fmt: skip
    assert r.status_code == 422 and "第 3 行“查询码”" in r.text
    files = _files(world) | {"candidates": ("C.csv", with_codes.encode())}
    assert client.post("/admissions/runs", files=files, data={"action": "publish"}, follow_redirects=False).status_code == 303
    client.cookies.clear()
    no_code = client.post("/admissions/lookup", data={"candidate_no": "K003", "name": "王五"})
    wrong = client.post("/admissions/lookup", data={"candidate_no": "K003", "name": "王五", "query_code": "Q00001"})
    assert no_code.status_code == wrong.status_code == 404
    ok = client.post("/admissions/lookup", data={"candidate_no": "K003", "name": "王五", "query_code": "q00003"})
    assert ok.status_code == 200 and 'data-testid="found"' in ok.text
    api = client.post("/api/v1/admissions/lookup", json={"candidate_no": "K003", "name": "王五", "query_code": "Q00003"})
    assert api.status_code == 200 and "query_hmac" not in api.json()
    assert client.post("/api/v1/admissions/lookup", json={"candidate_no": "K003", "name": "王五"}).status_code == 404
    # the code is stored only as a keyed HMAC
    with world.platform.engine.connect() as c:
        from sqlalchemy import text

        stored = c.execute(text("select query_hmac from admission_results where candidate_no = 'K003'")).scalar_one()
    assert stored and "Q00003" not in stored and len(stored) == 64
