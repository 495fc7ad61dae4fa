"""The chart module: well-formed, accessible SVG with escaped text, values in proportion, a data table."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise

import pytest

from zhijiao.adapters.reports.charts import (
    Series,
    bar_chart,
    data_table,
    figure,
    line_chart,
    nice_ticks,
    thousands,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_is_labelled_and_bars_are_in_proportion() -> None:
    svg = bar_chart(title="学习成果", description="按年度", categories=["2022", "2023"],
                    series=[Series("课程", [100, 300])])  # fmt: skip
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find("s:title", NS), root.find("s:desc", NS)
    assert title is not None and title.text == "学习成果" and desc is not None and desc.text == "按年度"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    bars = root.findall("s:rect", NS)
    assert len(bars) == 2
    h = [float(b.get("height") or 0) for b in bars]
    assert h[1] == pytest.approx(3 * h[0], rel=0.01)
    tips = [b.find("s:title", NS).text for b in bars]  # type: ignore[union-attr]
    assert tips == ["2022 · 课程：100", "2023 · 课程：300"]
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_stacked_bars_add_up_and_a_legend_names_each_series() -> None:
    svg = bar_chart(title="t", description="d", categories=["a"], stacked=True,
                    series=[Series("在校学生", [1_000]), Series("社会学习者", [3_000])])  # fmt: skip
    root = parse(svg)
    bars = [b for b in root.findall("s:rect", NS) if b.find("s:title", NS) is not None]
    ys = sorted((float(b.get("y") or 0), float(b.get("height") or 0)) for b in bars)
    assert ys[0][0] + ys[0][1] == pytest.approx(ys[1][0], abs=0.2)  # the upper segment sits on the lower
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "在校学生" in texts and "社会学习者" in texts and "4,000" in texts


def test_horizontal_bars_and_text_is_escaped() -> None:
    svg = bar_chart(title="<b>&", description='"x"', categories=["<script>"], horizontal=True,
                    series=[Series("n", [Decimal("1344275.5")])])  # fmt: skip
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.find("s:title", NS).text == "<b>&"  # type: ignore[union-attr]
    assert any("1,344,275.5" in (t.text or "") for t in root.iter("{http://www.w3.org/2000/svg}title"))


def test_line_chart_has_a_marker_per_value() -> None:
    root = parse(line_chart(title="t", description="d", categories=["2021", "2022", "2023"],
                            series=[Series("a", [1, 5, 3]), Series("b", [2, 2, 2])]))  # fmt: skip
    assert len(root.findall("s:circle", NS)) == 6 and len(root.findall("s:polyline", NS)) == 2


def test_empty_and_zero_data_still_draw() -> None:
    parse(bar_chart(title="t", description="d", categories=[], series=[]))
    parse(bar_chart(title="t", description="d", categories=["a"], series=[Series("x", [0])]))


def test_data_table_and_figure() -> None:
    series = [Series("成果数", [41925540])]
    table = data_table(caption="c", category_label="年度", categories=["2024"], series=series)
    assert '<th scope="row">2024</th><td class="num">41,925,540</td>' in table
    f = figure(
        bar_chart(title="t", description="d", categories=["2024"], series=series),
        table,
        table_summary="数据表",
    )
    assert f.startswith('<figure class="chart-figure"><svg') and "<summary>数据表</summary>" in f


@pytest.mark.parametrize(("top", "last"), [(0, 1.0), (7, 8.0), (403_482, 500_000.0), (1.2, 1.25)])
def test_nice_ticks(top: float, last: float) -> None:
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] == last and ticks[-1] >= top


def test_thousands() -> None:
    assert (
        thousands(Decimal("1344275.50")) == "1,344,275.5" and thousands(12.0) == "12" and thousands(0) == "0"
    )


def test_crowded_axes_thin_their_labels_and_legends_wrap() -> None:
    years = [str(y) for y in range(2001, 2026)]
    series = [Series(f"类型{k}", [k] * len(years)) for k in range(8)]
    root = parse(
        bar_chart(title="t", description="d", categories=years, series=series, stacked=True, width=420)
    )
    texts = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if (t.text or "") in years]
    assert 2 < len(texts) < len(years)  # every k-th year, not 25 overlapping labels
    xs = sorted(float(t.get("x") or 0) for t in texts)
    assert all(b - a >= 30 for a, b in pairwise(xs))
    legend = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if (t.text or "").startswith("类型")]
    assert len({t.get("y") for t in legend}) > 1  # wrapped onto a second row
    assert all(float(t.get("x") or 0) < 420 for t in legend)
    ticks = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert not any("0000000" in (t or "") for t in ticks)


def test_counts_get_whole_ticks() -> None:
    assert nice_ticks(1, whole=True) == [0, 1] and nice_ticks(3, whole=True) == [0, 1, 2, 3]
    root = parse(
        bar_chart(title="t", description="d", categories=["a"], series=[Series("n", [1])], horizontal=True)
    )
    assert {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")} >= {"0", "1"}
    assert "0.2" not in {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
