"""Reading a large table file column by column (the admission files: a million candidates).

A CSV file (UTF-8 or GBK, decoded as every CSV import of the platform is) is parsed by DuckDB's
`read_csv`, every cell as text, into one numpy array per column; an Excel file, or a CSV file DuckDB
refuses or whose layout it might read differently from Python's csv module (blank lines, lone CR line
ends), is read row by row as `read_table` does. Both give the same columns: fully empty rows left out,
the others numbered as the spreadsheet shows them, cells cleaned as `domain.text.clean` does (only the
distinct values of a column are cleaned when the column is read as codes: `factor`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from typing import Any

import numpy as np

from zhijiao.adapters.spreadsheets.reading import (
    _csv_stream,
    _xlsx_rows,
    checked_upload,
    decode_text,
)
from zhijiao.domain.text import clean, is_clean


class Columns:
    """The header (cleaned) and the non-empty data rows of a table, by column."""

    def __init__(
        self, header: Sequence[str], raw: list[Sequence[str]], rows: np.ndarray, *, clean_text: bool
    ) -> None:
        self.header = [clean(h) for h in header]
        self.raw_header = list(header)
        self._raw = raw
        self.rows = rows  # int64: the spreadsheet's row number of each data row
        self._clean = clean_text  # every cell is already NFKC without zero-width characters

    def __len__(self) -> int:
        return len(self.rows)

    def _column(self, j: int) -> Sequence[str]:
        if j < len(self._raw):
            return self._raw[j]
        return [""] * len(self.rows)

    def text(self, j: int) -> list[str]:
        """Column j's cells, cleaned."""
        col = self._column(j)
        cells = col.tolist() if isinstance(col, np.ndarray) else list(col)
        if self._clean or is_clean("".join(cells)):
            return [c.strip() for c in cells]
        return [clean(c) for c in cells]

    def factor(self, j: int) -> tuple[np.ndarray, list[str]]:
        """Column j as codes into its distinct cleaned values: (codes, values)."""
        col = self._column(j)
        raw = list(dict.fromkeys(col))
        cleaned: dict[str, int] = {}
        remap = [cleaned.setdefault(clean(v), len(cleaned)) for v in raw]
        code_of = dict(zip(raw, remap, strict=True))
        codes = np.fromiter(map(code_of.__getitem__, col), np.int32, len(self.rows))
        return codes, list(cleaned)

    def prefetch(self, factors: Sequence[int], texts: Sequence[int]) -> None:
        """(Columns read row by row are already in memory.)"""

    def close(self) -> None:
        """(Nothing to release.)"""

    def row_tuples(self, width: int) -> list[tuple[int, tuple[str, ...]]]:
        """Row by row (small files: programmes, majors)."""
        cols = [self.text(j) for j in range(width)]
        return list(zip(self.rows.tolist(), zip(*cols, strict=True), strict=True)) if cols else []


def read_columns(filename: str, data: bytes) -> Columns:
    """Any table file (.csv UTF-8/GBK, or .xlsx, first sheet) by column."""
    name, suffix = checked_upload(filename, data)
    if suffix == ".xlsx":
        header, rows, _ = _xlsx_rows(name, data)
        return _from_rows(header, rows, clean_text=False)
    text = decode_text(name, data)
    first = text[: text.find("\n") + 1] if "\n" in text else text
    if '"' not in first:  # the header on one line: read it alone (the whole text is parsed below)
        header, _ = _csv_stream(name, first)
        fast = _duckdb(header, text, data)
        if fast is not None:
            return fast
    header, rows = _csv_stream(name, text)
    return _from_rows(header, rows, clean_text=is_clean(text))


def _from_rows(header: Sequence[str], rows: object, *, clean_text: bool) -> Columns:
    width = len(header)
    numbers: list[int] = []
    kept: list[Sequence[str]] = []
    for n, r in rows:  # type: ignore[attr-defined]
        if any(r):
            numbers.append(n)
            kept.append(r)
    raw: list[Sequence[str]] = []
    for j in range(width):
        raw.append([r[j] if j < len(r) else "" for r in kept])
    return Columns(header, raw, np.array(numbers, np.int64), clean_text=clean_text)


class DuckColumns(Columns):
    """Columns kept in a DuckDB table until asked for: `factor` is DuckDB's ENUM codes of the column
    (its distinct values cleaned in Python), so a million cells are never hashed one by one in Python."""

    def __init__(self, header: Sequence[str], con: Any, width: int, empty: np.ndarray) -> None:
        rows = np.arange(2, len(empty) + 2, dtype=np.int64)[~empty]
        super().__init__(header, [], rows, clean_text=False)
        self._empty = empty
        self._con = con
        self._width = width
        self._texts: dict[int, list[str]] = {}
        self._factors: dict[int, tuple[np.ndarray, list[str]]] = {}

    def prefetch(self, factors: Sequence[int], texts: Sequence[int]) -> None:
        """Fetch these columns in one pass (codes for `factors`, cells for `texts`)."""
        con = self._con
        fs = [j for j in dict.fromkeys(factors) if j < self._width and j not in self._factors]
        ts = [j for j in dict.fromkeys(texts) if j < self._width and j not in self._texts]
        if not fs and not ts:
            return
        position = np.cumsum(~self._empty) - 1  # rowid → index among the non-empty rows
        for j in fs:
            con.execute(f"CREATE TEMP TABLE d{j} AS SELECT v, (row_number() OVER ()) - 1 AS code "
                        f"FROM (SELECT DISTINCT c{j} AS v FROM t)")  # fmt: skip
            d = con.execute(f"SELECT v, code FROM d{j}").fetchnumpy()
            got = con.execute(f"SELECT t.rowid AS r, d.code AS k FROM t JOIN d{j} d ON t.c{j} = d.v "
                              "WHERE NOT t.empty_row").fetchnumpy()  # fmt: skip
            con.execute(f"DROP TABLE d{j}")
            raw = np.empty(len(self.rows), np.int64)
            raw[position[np.asarray(got["r"], np.int64)]] = np.asarray(got["k"], np.int64)
            values = [""] * len(d["v"])
            for v, k in zip(
                np.asarray(d["v"], dtype=object).tolist(), np.asarray(d["code"]).tolist(), strict=True
            ):
                values[k] = v
            cleaned: dict[str, int] = {}
            remap = np.array([cleaned.setdefault(clean(v), len(cleaned)) for v in values] or [0], np.int32)
            self._factors[j] = remap[raw], list(cleaned)
        if ts:
            got = con.execute(
                f"SELECT {', '.join(f'c{j}' for j in ts)} FROM t WHERE NOT empty_row"
            ).fetchnumpy()
        for j in ts:
            cells = np.asarray(got[f"c{j}"], dtype=object).tolist()
            self._texts[j] = (
                [c.strip() for c in cells] if is_clean("".join(cells)) else [clean(c) for c in cells]
            )

    def text(self, j: int) -> list[str]:
        if j >= self._width:
            return [""] * len(self.rows)
        self.prefetch((), (j,))
        return self._texts.pop(j)

    def factor(self, j: int) -> tuple[np.ndarray, list[str]]:
        if j >= self._width:
            return np.zeros(len(self.rows), np.int32), [""]
        self.prefetch((j,), ())
        return self._factors.pop(j)

    def close(self) -> None:
        self._con.close()


def _duckdb(header: Sequence[str], text: str, data: bytes) -> DuckColumns | None:
    """The file in a DuckDB table (every cell as text, which rows are fully empty), or None when this
    file is to be read by Python's csv module (DuckDB refuses it, or its layout could be read
    differently)."""
    width = len(header)
    if (
        width == 0
        or "\n\n" in text
        or "\n\r\n" in text
        or ((r := text.count("\r")) and r != text.count("\r\n"))
    ):
        return None
    import duckdb

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not text.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:  # GBK: DuckDB reads UTF-8
            body = text.encode("utf-8")
    fd, path = tempfile.mkstemp(suffix=".csv")
    con = duckdb.connect()
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        names = [f"c{j}" for j in range(width)]
        spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in names) + "}"
        empty = " AND ".join(f"coalesce({c}, '') = ''" for c in names)
        select = ", ".join(f"coalesce({c}, '') AS {c}" for c in names)
        con.execute("SET preserve_insertion_order = true")
        con.execute(
            f"CREATE TEMP TABLE t AS SELECT {select}, ({empty}) AS empty_row FROM read_csv(?, header = true, "
            f"columns = {spec}, delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
            "null_padding = true, strict_mode = true)",
            [path],
        )
        flags = np.asarray(con.execute("SELECT empty_row FROM t").fetchnumpy()["empty_row"], np.bool_)
    except duckdb.Error:
        con.close()
        return None
    finally:
        os.unlink(path)
    return DuckColumns(header, con, width, flags)
