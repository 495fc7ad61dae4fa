"""A minimal, fast .xlsx writer for very large plain tables (a million result rows in a few seconds).

openpyxl builds an object per cell and needs tens of seconds for a province's million rows; this writes
the SpreadsheetML parts directly (inline strings, one frozen bold header row), streamed into the zip at
compression level 1. Text is stored as inline strings, never as formulas, so text such as
“=cmd|…” stays text (no formula-injection risk, unlike CSV). Output opens in Excel, WPS and LibreOffice, and is read back by openpyxl in tests.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from io import BytesIO

MAX_ROWS = 1_048_576
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(v: str) -> str:
    if "&" in v or "<" in v or ">" in v:
        v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not v.isprintable():
        v = _BAD.sub("", v)
    return v


def _row_slow(n: int, row: Sequence[str], numeric: frozenset[int], width: int) -> str:
    cells = []
    for i, v in enumerate(list(row)[:width]):
        if not v:
            cells.append("<c/>")
        elif i in numeric:
            cells.append(f"<c><v>{_esc(v)}</v></c>")
        else:
            cells.append(f'<c t="inlineStr"><is><t>{_esc(v)}</t></is></c>')
    return f'<row r="{n}">{"".join(cells)}</row>'


class Rendered:
    """A sheet's data rows already rendered as `<row>` elements (numbered from 2), in chunks: for a
    caller that builds a million rows column-wise (see `text_cells`)."""

    def __init__(self, chunks: Iterable[str]) -> None:
        self.chunks = chunks


def text_cells(values: Iterable[str]) -> dict[str, str]:
    """Each distinct text as its cell element (empty: `<c/>`), escaped as `_row_slow` does."""
    return {v: f'<c t="inlineStr"><is><t>{_esc(v)}</t></is></c>' if v else "<c/>" for v in dict.fromkeys(values)}


def _sheet_xml(
    header: Sequence[str], rows: Iterable[Sequence[str]] | Rendered, numeric: frozenset[int]
) -> Iterable[bytes]:
    yield (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        b'state="frozen"/></sheetView></sheetViews><sheetData>'
    )
    yield ('<row r="1">' + "".join(f'<c t="inlineStr" s="1"><is><t>{_esc(h)}</t></is></c>' for h in header)
           + "</row>").encode()  # fmt: skip
    if isinstance(rows, Rendered):
        for chunk in rows.chunks:
            yield chunk.encode()
        yield b"</sheetData></worksheet>"
        return
    text = '<c t="inlineStr"><is><t>%s</t></is></c>'
    template = '<row r="%d">' + "".join(
        "<c><v>%s</v></c>" if i in numeric else text for i in range(len(header))
    )
    template += "</row>"
    width = len(header)
    chunk: list[str] = []
    for n, row in enumerate(rows, start=2):
        if n > MAX_ROWS:
            raise ValueError(f"工作表超过 Excel 的行数上限 {MAX_ROWS}")
        joined = "".join(row)
        if (
            not joined.isprintable()
            or "&" in joined
            or "<" in joined
            or ">" in joined
            or len(row) != width
            or (numeric and any(not row[i] for i in numeric))
        ):
            chunk.append(_row_slow(n, row, numeric, width))
        else:
            chunk.append(template % (n, *row))
        if len(chunk) >= 20000:
            yield "".join(chunk).encode()
            chunk = []
    yield ("".join(chunk) + "</sheetData></worksheet>").encode()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed timestamp: the same table gives the same bytes (and SHA-256)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # type: ignore[attr-defined]  # ZipInfo has no public setter before 3.13
    return info


def write_xlsx(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[str]] | Rendered]],
    numeric_columns: Mapping[str, Sequence[int]] | None = None,
) -> bytes:
    """A workbook with one sheet per (title, header, rows); cells are text except the `numeric_columns`
    (0-based, per sheet title), written as numbers."""
    numeric_columns = numeric_columns or {}
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(_entry("[Content_Types].xml"), _CONTENT_TYPES.format(sheets=overrides))
        z.writestr(_entry("_rels/.rels"), _ROOT_RELS)
        z.writestr(_entry("xl/styles.xml"), _STYLES)
        names = "".join(
            f'<sheet name="{_esc(t[:31])}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (t, _, _) in enumerate(sheets, 1)
        )
        z.writestr(
            _entry("xl/workbook.xml"),
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{names}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        n = len(sheets) + 1
        z.writestr(
            _entry("xl/_rels/workbook.xml.rels"),
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/></Relationships>',
        )
        for i, (title, header, rows) in enumerate(sheets, start=1):
            numeric = frozenset(numeric_columns.get(title, ()))
            with z.open(_entry(f"xl/worksheets/sheet{i}.xml"), "w", force_zip64=True) as part:
                for piece in _sheet_xml(header, rows, numeric):
                    part.write(piece)
    return out.getvalue()
