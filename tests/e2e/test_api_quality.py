"""The quality API (/api/v1/quality/…) on SQLite and PostgreSQL: import, indicators with cards,
provenance, the workflow's lock, problem+json errors, and the scope rules' denials."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.factories import World
from tests.quality_world import long_csv, long_rows

CSV = "text/csv"


def upload(client: TestClient, who: str, data: bytes, name: str = "state.csv") -> dict:
    r = client.post("/api/v1/quality/imports", headers=token_for(client, who), files={"file": (name, data, CSV)})
    return {"status": r.status_code, **r.json(), "_type": r.headers["content-type"]}


def test_import_indicators_provenance_and_lock(client: TestClient, world: World) -> None:
    code = world.school.moe_code
    bad = upload(client, "school_staff", long_csv(long_rows(code, "2023-2024", books="很多")))
    assert bad["status"] == 422 and bad["_type"].startswith("application/problem+json")
    assert bad["problems"][0]["where"] == "第 20 行“值”列" and "非负整数" in bad["problems"][0]["message"]
    assert bad["problems"][0]["where_en"] == "row 20 column “Value”"
    assert bad["problems"][0]["message_en"].startswith("should be a non-negative whole number")
    ok = upload(client, "school_staff", long_csv(long_rows(code, "2023-2024", books=200000)))
    assert ok["status"] == 200 and ok["values_written"] == 27

    staff = token_for(client, "school_staff")
    r = client.get(f"/api/v1/quality/schools/{code}/indicators", params={"year": 2024}, headers=staff)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["card"] == "yellow"  # 200000 ÷ 8310 = 24.07 册/生, under the 35 line
    rows = {i["indicator"]: i for i in body["indicators"]}
    books = rows["books_per_student"]
    assert (books["value"], books["numerator"], books["denominator"], books["threshold"], books["verdict"]) == (
        24.07, 200000, 8310, 60, "fail",
    )  # fmt: skip
    assert "教发〔2004〕2号" in books["source"]
    assert rows["postgraduate_teacher_share"]["value"] == 0.4 and rows["postgraduate_teacher_share"]["verdict"] == "pass"
    assert set(rows) >= {"student_teacher_ratio", "dual_qualified_share", "students_per_ideopolitical_teacher",
                         "practical_hours_share", "training_ratio", "recent_textbook_share", "employment_rate"}  # fmt: skip

    r = client.get(f"/api/v1/quality/schools/{code}/indicators/books_per_student/provenance",
                   params={"year": 2024}, headers=staff)  # fmt: skip
    cell = next(c for c in r.json()["cells"] if c["element"] == "books")
    assert (cell["file"], cell["row"], cell["value"]) == ("state.csv", 20, 200000)
    assert cell["submitted_at"].endswith("+00:00")

    r = client.post(f"/api/v1/quality/schools/{code}/submissions/2023-2024/submit", headers=staff,
                    json={"declared_by": "王芳"})  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = client.post(f"/api/v1/quality/schools/{code}/submissions/2023-2024/approve", headers=staff, json={})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    gd = token_for(client, "gd_admin")
    r = client.post(f"/api/v1/quality/schools/{code}/submissions/2023-2024/approve", headers=gd, json={})
    assert r.json()["status"] == "approved"
    locked = upload(client, "school_staff", long_csv(long_rows(code, "2023-2024", books=900000)))
    assert locked["status"] == 422 and "已审核（锁定）" in locked["problems"][0]["message"]
    r = client.get("/api/v1/quality/cards", params={"year": 2024, "province": "44"}, headers=gd)
    assert r.json()["counts"] == {"pass": 0, "yellow": 1, "red": 0, "none": 1}


def test_scope_denials_answer_404_without_revealing(client: TestClient, world: World) -> None:
    code = world.school.moe_code
    assert upload(client, "school_staff", long_csv(long_rows(code, "2023-2024")))["status"] == 200
    paths = [
        f"/api/v1/quality/schools/{code}/indicators?year=2024",
        f"/api/v1/quality/schools/{code}/indicators/books_per_student/provenance?year=2024",
        f"/api/v1/quality/schools/{code}/form.xlsx?year=2024",
        f"/api/v1/quality/schools/{code}/submissions/2023-2024",
    ]
    missing = [p.replace(code, "4199999999") for p in paths]
    for who in ("other_staff", "far_staff", "hn_admin", "liming"):
        headers = token_for(client, who)
        for path, absent in zip(paths, missing, strict=True):
            denied, unknown = client.get(path, headers=headers), client.get(absent, headers=headers)
            assert denied.status_code == unknown.status_code == 404, (who, path)
            assert denied.json()["type"] == unknown.json()["type"]
    r = client.get("/api/v1/quality/cards", params={"year": 2024, "province": "44"}, headers=token_for(client, "hn_admin"))
    assert r.status_code == 403
    other = upload(client, "other_staff", long_csv(long_rows(code, "2023-2024", books=1)))
    assert other["status"] == 422 and "未登记或无权查看" in other["problems"][0]["message"]
    assert client.get(paths[0]).status_code == 401


def test_metadata_and_form_download(client: TestClient, world: World) -> None:
    staff = token_for(client, "school_staff")
    elements = {e["code"] for e in client.get("/api/v1/quality/elements", headers=staff).json()}
    assert {"students_fulltime", "teachers_dual_qualified", "enterprise_partners"} <= elements
    defs = {i["code"]: i for i in client.get("/api/v1/quality/indicators", headers=staff).json()}
    assert "1.5" in client.get("/api/v1/quality/indicators", headers=staff).text
    assert defs["student_teacher_ratio"]["denominator"] == "teachers_total"
    stds = client.get("/api/v1/quality/standards", params={"level": "higher", "discipline_type": "medical"}, headers=staff)
    ratio = next(s for s in stds.json() if s["indicator"] == "student_teacher_ratio" and s["discipline_type"] == "medical")
    assert (ratio["pass_line"], ratio["restrict_line"]) == (16, 20)
    # both languages: every name, unit, category, formula and source has its English beside it
    from tests.untranslated import CJK

    for e in client.get("/api/v1/quality/elements", headers=staff).json():
        english = " ".join([e["name_en"], e["unit_en"], *e["categories_en"]])
        assert e["name_en"] and len(e["categories_en"]) == len(e["categories"]) and not CJK.search(english), e
    for i in defs.values():
        assert i["name_en"] and not CJK.search(i["name_en"] + i["formula_en"] + (i["source_en"] or "")), i
    assert "Jiaofa [2004] No. 2" in ratio["source_en"] and not CJK.search(ratio["source_en"])
    r = client.get(f"/api/v1/quality/schools/{world.school.moe_code}/form.xlsx", params={"year": 2024}, headers=staff)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client.get(f"/api/v1/quality/schools/{world.school.moe_code}/indicators", params={"year": 1800}, headers=staff)
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("year")
