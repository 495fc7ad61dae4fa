"""The results written by column: 录取结果.csv byte for byte as Python's csv module writes the rows of
the outcome objects, and a workbook whose results continue on further sheets past a sheet's rows."""

from __future__ import annotations

import csv
import io
import random

from openpyxl import load_workbook

from tests.unit.admissions.helpers import policy
from tests.unit.admissions.test_admissions_fast_equals_reference import _province
from zhijiao.adapters.admissions.outputs import RESULT_HEADER, _csv_results, result_tails, workbook_bytes
from zhijiao.domain.admissions.model import Result
from zhijiao.domain.admissions.rounds import run_admission


def _objects_csv(result, cands, progs) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(RESULT_HEADER)
    for c, o in zip(cands, result.outcomes, strict=True):
        group = progs[o.group].code if o.group >= 0 and o.result is not Result.not_dispatched else ""
        w.writerow((c.no, o.result.value, group, o.major, o.reason))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def test_results_csv_as_the_csv_module_writes_it_and_workbook_split_over_sheets() -> None:
    rng = random.Random(2)
    progs, cands, supp = _province(rng, 250, 12, 5)
    # a major code that needs quoting in CSV and escaping in XML (a group without a majors file)
    cands[0].choices, cands[0].major_orders = (11,), (('a"b&<c',),)
    progs[11] = type(progs[11])(progs[11].code, "S", "学校", 50)
    r = run_admission(policy(dispatch_ratio=1.05), progs, cands, supp)
    assert r.outcomes[0].major == 'a"b&<c'
    assert _csv_results(RESULT_HEADER, *result_tails(r, cands, progs)) == _objects_csv(r, cands, progs)
    wb = load_workbook(io.BytesIO(workbook_bytes(r, cands, progs, rows_per_sheet=100)), read_only=True)
    assert wb.sheetnames[:3] == ["录取结果", "录取结果（2）", "录取结果（3）"] and "投档线" in wb.sheetnames
    rows = [row for name in wb.sheetnames[:3] for row in list(wb[name].iter_rows(values_only=True))[1:]]
    want = list(csv.reader(io.StringIO(_objects_csv(r, cands, progs).decode("utf-8-sig"))))[1:]
    assert [[v or "" for v in row] for row in rows] == want
