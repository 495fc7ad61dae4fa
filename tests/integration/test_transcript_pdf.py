"""The transcript as a PDF: Chinese text extractable, our own embedded font, no national ID, scoped routes."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pypdfium2
import pytest
import zxingcpp
from fastapi.testclient import TestClient
from fontTools.ttLib import TTFont
from pdfminer.high_level import extract_text
from pypdf import PdfReader
from typer.testing import CliRunner

from tests.conftest import token_for
from tests.factories import PASSWORD, World, national_id
from zhijiao.adapters.reports.transcript import number, render_transcript_pdf
from zhijiao.domain.access import Role
from zhijiao.domain.credentials.verify import Verdict
from zhijiao.domain.creditbank.model import Grade, Level, OutcomeDraft, OutcomeKind
from zhijiao.domain.identity import IdType
from zhijiao.services import users
from zhijiao.services.credentials import verification
from zhijiao.services.credentials.issuers import IssuingSite
from zhijiao.services.creditbank import accounts, outcomes, transcripts

COURSE = "数控加工编程与操作"
CERTIFICATE = "工业机器人操作与运维职业技能等级证书"
REVOKED = "安全生产培训"


@pytest.fixture
def recorded(world: World) -> World:
    """李明 has a course and a training from his school (the training revoked) and a 1+X certificate."""
    uow, no = world.platform.uow, world.learner_account.account_no
    staff, certifier = world.p("school_staff"), world.p("certifier")
    outcomes.record_outcome(uow(), staff, no, OutcomeDraft(
        kind=OutcomeKind.course, title=COURSE, issuer_id=world.school.id or 0, obtained_on=date(2022, 6, 30),
        hours=Decimal(64), score=Decimal("86.5"), grade=Grade.good,
    ))  # fmt: skip
    outcomes.record_outcome(uow(), certifier, no, OutcomeDraft(
        kind=OutcomeKind.skill_certificate, title=CERTIFICATE, issuer_id=world.certifier.id or 0,
        obtained_on=date(2023, 5, 20), level=Level.intermediate, code="X-2023-0001",
    ), world.knows_learner())  # fmt: skip
    training = outcomes.record_outcome(uow(), staff, no, OutcomeDraft(
        kind=OutcomeKind.training, title=REVOKED, issuer_id=world.school.id or 0,
        obtained_on=date(2023, 3, 1), hours=Decimal(16),
    ))  # fmt: skip
    outcomes.revoke_outcome(uow(), staff, training.id or 0, "录入错误")
    return world


def texts(pdf: bytes, *, pdfminer: bool = False) -> list[str]:
    """The PDF's text as pypdf (and, slower, as pdfminer.six) extracts it, whitespace removed."""
    found = ["".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)]
    if pdfminer:
        found.append(extract_text(io.BytesIO(pdf)))
    return [re.sub(r"\s+", "", t) for t in found]


def embedded_fonts(pdf: bytes) -> list[tuple[str, str]]:
    """(BaseFont, name inside the embedded font program) for every font any page uses."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            assert program is not None, f"{font['/BaseFont']} is not embedded"
            embedded = TTFont(io.BytesIO(program.get_object().get_data()))
            inner = (
                embedded["CFF "].cff.fontNames[0] if "CFF " in embedded else embedded["name"].getDebugName(6)
            )
            found.append((str(font["/BaseFont"]), str(inner)))
    return found


def test_pdf_holds_the_chinese_transcript_in_our_own_font(recorded: World) -> None:
    world, no = recorded, recorded.learner_account.account_no
    t = transcripts.transcript(world.platform.uow(), world.p("learner"), no)
    pdf = render_transcript_pdf(t)
    assert pdf.startswith(b"%PDF-")
    total = t.accumulation.total
    assert total.count == 2  # the revoked training counts for nothing
    extracted = texts(pdf, pdfminer=True)
    assert len(extracted) == 2
    for text in extracted:
        for expected in (
            "学分银行·学习成果记录", "李明", no, world.learner_account.id_masked, "广州番禺职业技术学院",
            COURSE, CERTIFICATE, "工业和信息化部教育与考试中心", "职业技能等级证书", "86.5/良", "中级",
            f"学分：{number(total.credits)}", f"学时：{number(total.hours)}", "已撤销（不计入）：1",
            f"已撤销{REVOKED}", "第1页/共1页",
        ):  # fmt: skip
            assert expected in text, expected
        assert national_id(1) not in text
    assert national_id(1).encode() not in pdf
    assert national_id(1).encode("utf-16-be") not in pdf
    fonts = embedded_fonts(pdf)
    assert {inner for _, inner in fonts} == {"NotoSansSCZhijiao-Regular", "NotoSansSCZhijiao-Bold"}
    assert all("NotoSans" in base for base, _ in fonts)
    info = PdfReader(io.BytesIO(pdf))
    assert info.metadata is not None
    assert info.metadata.author == "职教平台 学分银行"
    assert info.metadata.title is not None and "学习成果记录" in info.metadata.title
    assert info.trailer["/Root"]["/Lang"] == "zh-CN"


def test_verification_qr_code_and_attachments(recorded: World) -> None:
    world = recorded
    t = transcripts.transcript(world.platform.uow(), world.p("learner"), world.learner_account.account_no)
    credential = json.dumps({"type": ["VerifiableCredential"], "name": "学习成果记录"}).encode()
    url = "https://zhijiao.example/verify/abc123"
    pdf = render_transcript_pdf(
        t, verification_url=url, attachments=[("credential.json", credential, "application/ld+json")]
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {"credential.json": [credential]}
    spec = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/ld+json"
    for text in texts(pdf):
        assert "扫码验证" in text and url in text
    plain = render_transcript_pdf(t)
    assert PdfReader(io.BytesIO(plain)).attachments == {}
    assert "扫码验证" not in texts(plain)[0]


def test_api_pdf_for_staff_of_the_home_school_in_english(recorded: World, client: TestClient) -> None:
    no = recorded.learner_account.account_no
    r = client.get(f"/api/v1/accounts/{no}/transcript.pdf?lang=en", headers=token_for(client, "school_staff"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert f"filename*=UTF-8''{quote(f'Transcript-{no}.pdf')}" in r.headers["content-disposition"]
    for text in texts(r.content):
        for expected in ("CreditBank·Transcript", "李明", COURSE, "Course", "Page1of1"):
            assert expected in text, expected


def test_a_certifier_gets_only_what_it_issued(recorded: World, client: TestClient) -> None:
    """A partial view carries no credential: the credit bank signs no selection the learner did not make."""
    no = recorded.learner_account.account_no
    r = client.get(f"/api/v1/accounts/{no}/transcript.pdf", headers=token_for(client, "certifier"))
    assert r.status_code == 200
    assert quote(f"学习成果记录-{no}.pdf") in r.headers["content-disposition"]
    for text in texts(r.content):
        assert CERTIFICATE in text and "本记录仅列出本机构颁发的学习成果" in text
        assert "部分记录不附可验证凭证" in text and "扫码验证" not in text
        assert COURSE not in text
    assert "x-credential-id" not in r.headers
    # no credential attached; only the ledger's inclusion proof (hashes, no records)
    assert list(PdfReader(io.BytesIO(r.content)).attachments) == ["ledger-proof.json"]
    with recorded.platform.uow().read() as uow:
        assert uow.credentials.for_account(recorded.learner_account.id or 0) == []


def qr_codes(pdf: bytes) -> list[str]:
    """The QR codes on the first page, decoded from the page rendered at 200 dpi."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=200 / 72).to_pil().convert("L")
    return [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]


def test_pdf_carries_a_qr_code_and_the_signed_transcript_credential(
    recorded: World, client: TestClient
) -> None:
    world, no = recorded, recorded.learner_account.account_no
    site = IssuingSite.of(world.platform.settings)
    r = client.get(f"/api/v1/accounts/{no}/transcript.pdf", headers=token_for(client, "school_staff"))
    assert r.status_code == 200
    credential_id = r.headers["x-credential-id"]
    url = f"{site.base_url}/verify/{credential_id}"
    assert qr_codes(r.content) == [url]
    assert all(url in text and "扫码验证" in text for text in texts(r.content))
    attachments = PdfReader(io.BytesIO(r.content)).attachments
    stem = f"transcript-credential-{credential_id}"
    assert set(attachments) == {f"{stem}.jwt", f"{stem}.json", "ledger-proof.json"}
    ((jws,),) = (attachments[f"{stem}.jwt"],)
    report = verification.verify(world.platform.uow(), site, jws)
    assert report.verdict is Verdict.valid, report.checks()
    (document,) = attachments[f"{stem}.json"]
    clr = json.loads(document)
    assert clr["id"] == f"urn:uuid:{credential_id}" and "ClrCredential" in clr["type"]
    assert clr["credentialSubject"]["id"] == f"urn:zhijiao:account:{no}"
    names = sorted(c["name"] for c in clr["credentialSubject"]["verifiableCredential"])
    assert names == sorted([COURSE, f"{CERTIFICATE}（中级）"])  # the revoked training is not attested
    for blob in (r.content, jws, document):
        assert national_id(1).encode() not in blob and national_id(1).encode("utf-16-be") not in blob
    assert national_id(1) not in document.decode("utf-8")

    # the same view again reuses the credential; the learner's own PDF shows the same outcomes
    again = client.get(f"/api/v1/accounts/{no}/transcript.pdf", headers=token_for(client, "school_staff"))
    assert again.headers["x-credential-id"] == credential_id
    mine = client.get(f"/api/v1/accounts/{no}/transcript.pdf", headers=token_for(client, "liming"))
    assert mine.headers["x-credential-id"] == credential_id

    # revoking an outcome it attests revokes it; the next PDF carries a new credential
    course = next(
        o
        for o in transcripts.transcript(world.platform.uow(), world.p("learner"), no).outcomes
        if o.title == COURSE
    )
    outcomes.revoke_outcome(world.platform.uow(), world.p("school_staff"), course.id or 0, "成绩录入错误")
    assert verification.verify(world.platform.uow(), site, jws).verdict is Verdict.revoked
    fresh = client.get(f"/api/v1/accounts/{no}/transcript.pdf", headers=token_for(client, "liming"))
    assert fresh.headers["x-credential-id"] != credential_id
    assert qr_codes(fresh.content) == [f"{site.base_url}/verify/{fresh.headers['x-credential-id']}"]


def test_api_pdf_denials(recorded: World, client: TestClient) -> None:
    """Another school, another province, another learner: the same 404 as for a number that does not exist."""
    other = accounts.open_account(
        recorded.platform.uow(), recorded.p("school_staff"), name="王芳", id_type=IdType.national_id,
        id_number=national_id(2), institution_id=recorded.school.id,
    )  # fmt: skip
    users.create_user(
        recorded.platform.uow(), username="wangfang", password=PASSWORD, role=Role.learner,
        display_name="王芳", account_id=other.id,
    )  # fmt: skip
    no = recorded.learner_account.account_no
    for who in ("other_staff", "far_staff", "hn_admin", "wangfang"):
        r = client.get(f"/api/v1/accounts/{no}/transcript.pdf", headers=token_for(client, who))
        assert r.status_code == 404, who
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["title"] == "学习账号不存在或无权查看"
    assert client.get(f"/api/v1/accounts/{no}/transcript.pdf").status_code == 401


def test_web_pdf_needs_sign_in_and_serves_the_learner(recorded: World, client: TestClient) -> None:
    no = recorded.learner_account.account_no
    for path in ("/me/transcript.pdf", f"/accounts/{no}/transcript.pdf"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == f"/signin?next={path}"
    signed_in = client.post(
        "/signin", data={"username": "liming", "password": PASSWORD}, follow_redirects=False
    )
    assert signed_in.status_code == 303
    r = client.get("/me/transcript.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert all(COURSE in text and no in text for text in texts(r.content))
    jws_name = f"transcript-credential-{r.headers['x-credential-id']}.jwt"
    (jws,) = PdfReader(io.BytesIO(r.content)).attachments[jws_name]
    site = IssuingSite.of(recorded.platform.settings)
    assert verification.verify(recorded.platform.uow(), site, jws).verdict is Verdict.valid
    other = accounts.open_account(
        recorded.platform.uow(), recorded.p("school_staff"), name="王芳", id_type=IdType.national_id,
        id_number=national_id(3), institution_id=recorded.school.id,
    )  # fmt: skip
    assert client.get(f"/accounts/{other.account_no}/transcript.pdf").status_code == 404


def test_cli_writes_the_pdf(recorded: World, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from pathlib import Path

    from zhijiao.cli import main

    monkeypatch.setattr(main, "platform", lambda: recorded.platform)
    out = Path(str(tmp_path)) / "t.pdf"
    no = recorded.learner_account.account_no
    result = CliRunner().invoke(main.app, ["transcript", "pdf", no, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "学习成果记录已导出" in result.output and "内嵌成绩单凭证" in result.output
    assert all(CERTIFICATE in text for text in texts(out.read_bytes()))
    (jws,) = [v[0] for k, v in PdfReader(out).attachments.items() if k.endswith(".jwt")]
    site = IssuingSite.of(recorded.platform.settings)
    assert verification.verify(recorded.platform.uow(), site, jws).verdict is Verdict.valid
    missing = CliRunner().invoke(main.app, ["transcript", "pdf", no[:-1] + "X", "-o", str(out)])
    assert missing.exit_code == 1
    assert "学习账号不存在" in missing.output
