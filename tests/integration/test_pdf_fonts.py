"""Item 9 of issue 9: every CJK ideograph of GB 18030's basic block and Extension A renders in the PDFs.

The packaged faces must map every such code point to a real glyph, and a transcript PDF for
learners named with characters outside GB 2312 (张喆, 王堃 …) must embed those glyphs — looked up
in the embedded font program's own cmap, not .notdef — while staying small (WeasyPrint subsets).
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tests.factories import World, national_id
from zhijiao.adapters.reports.pdf import FONT_DIR, FONT_FILES
from zhijiao.adapters.reports.transcript import render_transcript_pdf
from zhijiao.domain.creditbank.model import OutcomeDraft, OutcomeKind
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank import accounts, outcomes, transcripts

# The basic block and Extension A, less the 26 code points that Unicode 13–14 (2020–2021) added at
# their ends (U+4DB6–U+4DBF, U+9FF0–U+9FFF): Noto Sans CJK 2.004, the newest release, has no glyphs
# for them, so they fall back to a system font (README of src/zhijiao/fonts/).
GB18030_IDEOGRAPHS = [*range(0x4E00, 0x9FF0), *range(0x3400, 0x4DB6)]
LATER_ADDITIONS = [*range(0x4DB6, 0x4DC0), *range(0x9FF0, 0xA000)]
NAMES = [
    "张喆",
    "王堃",
    "李珺",
    "赵昇",
    "陈赟",
    "刘垚",
    "朱镕基",
    "钱㐀",
    "孙䶵",
]  # 䶵 U+4DB5: the end of ext A in GB 18030-2000
COURSE = "龘靐齉爨（机械基础）"  # rare ideographs in an outcome's title too


@pytest.mark.parametrize("weight", sorted(FONT_FILES))
def test_packaged_faces_cover_the_basic_block_and_extension_a(weight: str) -> None:
    font = TTFont(FONT_DIR / FONT_FILES[weight])
    cmap = font.getBestCmap()
    missing = [f"U+{cp:04X}" for cp in GB18030_IDEOGRAPHS if cmap.get(cp) in (None, ".notdef")]
    assert not missing, f"{len(missing)} missing, e.g. {missing[:10]}"
    assert len(GB18030_IDEOGRAPHS) == 20_976 + 6_582
    glyphs = font.getGlyphSet()
    for cp in (0x5586, 0x5803, 0x73FA, 0x6607, 0x8D5F, 0x579A, 0x9555, 0x3400, 0x4DB5, 0x9FA5):
        pen = BoundsPen(glyphs)
        glyphs[cmap[cp]].draw(pen)
        assert pen.bounds is not None, f"U+{cp:04X} has an empty outline"


def embedded_cmaps(pdf: bytes) -> list[dict[int, str]]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            assert program is not None
            embedded = TTFont(io.BytesIO(program.get_object().get_data()))
            cmap, glyphs = embedded.getBestCmap(), embedded.getGlyphSet()
            drawn = {}
            for cp, name in cmap.items():
                pen = BoundsPen(glyphs)
                glyphs[name].draw(pen)
                if name != ".notdef" and (pen.bounds is not None or chr(cp).isspace()):
                    drawn[cp] = name
            found.append(drawn)
    return found


def test_transcripts_of_learners_with_rare_names_embed_their_glyphs(world: World) -> None:
    uow, staff = world.platform.uow, world.p("school_staff")
    sizes = []
    for n, name in enumerate(NAMES, start=50):
        account = accounts.open_account(
            uow(), staff, name=name, id_type=IdType.national_id, id_number=national_id(n),
            institution_id=world.school.id,
        )  # fmt: skip
        outcomes.record_outcome(uow(), staff, account.account_no, OutcomeDraft(
            kind=OutcomeKind.course, title=COURSE, issuer_id=world.school.id or 0, obtained_on=date(2023, 6, 30),
            hours=Decimal(32),
        ))  # fmt: skip
        t = transcripts.transcript(uow(), world.p("national"), account.account_no)
        pdf = render_transcript_pdf(t)
        sizes.append(len(pdf))
        drawn: set[int] = set()
        for cmap in embedded_cmaps(pdf):
            drawn |= set(cmap)
        for ch in name + COURSE.replace("（", "").replace("）", ""):
            assert ord(ch) in drawn, f"{name}: {ch} (U+{ord(ch):04X}) has no glyph in the PDF"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert name in text.replace(" ", "")
    # subset at render time: a one-page transcript stays far below the 6 MB face it draws from
    assert max(sizes) < 400_000, sizes


def test_charts_render_in_a_pdf_in_the_embedded_font() -> None:
    """The chart module serves the PDF reports too: its SVG text is drawn in the packaged face."""
    from zhijiao.adapters.reports.charts import Series, bar_chart, data_table, figure
    from zhijiao.adapters.reports.pdf import FONT_FAMILY, html_to_pdf

    series = [Series("喆堃课程", [1200, 3400])]
    chart = bar_chart(title="学习成果", description="按年度", categories=["2023", "2024"], series=series,
                      font_family=FONT_FAMILY)  # fmt: skip
    table = data_table(caption="学习成果", category_label="年度", categories=["2023", "2024"], series=series)
    html = f"<html><body style='font-family:{FONT_FAMILY}'>{figure(chart, table, table_summary='数据表', open_table=True)}</body></html>"
    pdf = html_to_pdf(html)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in ("喆堃课程", "3,400", "4,000", "2023"):  # 4,000: the chart's axis, not the table
        assert expected in text, expected
    drawn: set[int] = set().union(*embedded_cmaps(pdf))
    assert {ord("喆"), ord("堃")} <= drawn
