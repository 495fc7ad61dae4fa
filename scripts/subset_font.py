"""Make the PDF fonts under src/zhijiao/fonts/: subsets of Noto Sans CJK SC (SIL OFL 1.1).

Kept: ASCII, Latin-1, general punctuation, CJK symbols and punctuation, full-width forms, every
CJK ideograph GB 18030 requires of the basic block (U+4E00–U+9FFF) and of Extension A
(U+3400–U+4DBF) that the font has, every character of GB 2312 (symbols, found by decoding every
two-byte code), and every non-ASCII character used in the package's source and templates and in
the reference catalogs (majors 2021, occupations 2022, provinces). Names such as 张喆, 王堃, 李珺,
赵昇, 陈赟, 刘垚, 朱镕 and 㐀 therefore render in every PDF; WeasyPrint embeds only the glyphs a
document uses, so the PDFs stay small. Saved as WOFF2 (brotli) to keep the repository small. The family is renamed
"Noto Sans SC Zhijiao" so that a PDF shows it used this file, not a system font.

    python scripts/subset_font.py \\
        --source /usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc \\
        --catalogs /work/shared/reference/catalogs --out src/zhijiao/fonts
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
FAMILY = "Noto Sans SC Zhijiao"
PS_FAMILY = "NotoSansSCZhijiao"
SC_FACE = "Noto Sans CJK SC"
RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1 supplement
    (0x2000, 0x206F),  # general punctuation (— … ‘ ’ “ ” •)
    (0x2460, 0x2473),  # circled numbers ①–⑳
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A (GB 18030)
    (0x4E00, 0x9FFF),  # CJK unified ideographs, the basic block (GB 18030)
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
# horizontal and vertical Chinese text; no regional (locl) or alternate (aalt) glyphs
LAYOUT_FEATURES = ["ccmp", "liga", "kern", "palt", "halt", "vert", "vrt2"]
CATALOG_NAMES = {"majors-2021.csv": "name", "occupations-2022.csv": "name", "provinces-gbt2260.csv": "name"}


def gb2312() -> set[str]:
    """Every character GB 2312 encodes: rows 1–9 symbols, rows 16–55 level 1, rows 56–87 level 2."""
    chars = set()
    for row in range(0xA1, 0xFF):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def used_in_package() -> set[str]:
    chars: set[str] = set()
    for path in (ROOT / "src" / "zhijiao").rglob("*"):
        if path.suffix in {".py", ".html", ".css", ".txt"} and path.is_file():
            chars |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F}
    return chars


def used_in_catalogs(folder: Path) -> set[str]:
    chars: set[str] = set()
    for name, column in CATALOG_NAMES.items():
        with (folder / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                chars |= set(row[column])
    return chars


def wanted(catalogs: Path) -> set[int]:
    codepoints = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    chars = gb2312() | used_in_package() | used_in_catalogs(catalogs)
    return codepoints | {ord(c) for c in chars if c.isprintable() or c == "\u3000"}


def sc_face(collection: Path) -> TTFont:
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(1) == SC_FACE:
            return font
    raise SystemExit(f"{collection}: no face named {SC_FACE!r}")


def rename(font: TTFont, style: str) -> None:
    ps_name = f"{PS_FAMILY}-{style}"
    names = {1: FAMILY, 2: style, 3: f"{ps_name};zhijiao subset", 4: f"{FAMILY} {style}", 6: ps_name}
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in {*names, 16, 17}]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)
    cff = font["CFF "].cff
    cff.fontNames = [ps_name]
    top = cff.topDictIndex[0]
    top.FullName, top.FamilyName = f"{FAMILY} {style}", FAMILY
    if hasattr(top, "CIDFontName"):
        top.CIDFontName = ps_name


def make(source: Path, style: str, codepoints: set[int], out: Path) -> Path:
    font = sc_face(source)
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    rename(font, style)
    font.recalcTimestamp = False  # the same input gives the same bytes
    font.flavor = "woff2"
    target = out / f"{PS_FAMILY}-{style}.woff2"
    font.save(str(target))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", default="/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc")
    parser.add_argument("--catalogs", type=Path, default=Path("/work/shared/reference/catalogs"))
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "zhijiao" / "fonts")
    args = parser.parse_args()
    codepoints = wanted(args.catalogs)
    for style in ("Regular", "Bold"):
        target = make(Path(args.source.format(weight=style)), style, codepoints, args.out)
        print(f"{target}: {len(TTFont(str(target)).getGlyphOrder())} glyphs, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
