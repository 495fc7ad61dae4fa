"""Set-based verdicts and cards on DuckDB: every indicator, line, verdict, card and outlier of many
schools and years in a handful of SQL statements.

The indicator formulas are the domain's expression trees rendered as SQL (`expressions.to_sql`),
and the lines are the domain's standards as a table, so this path computes what the per-school
Python path (`domain.quality`) computes; a test holds the two to the same answers.

Input: values (school_id, period, element, category, value) and schools (school_id, province, level,
discipline); output: plain rows.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from zhijiao.domain.quality.elements import ELEMENTS, DisciplineType, SchoolLevel
from zhijiao.domain.quality.expressions import parse, references, to_sql
from zhijiao.domain.quality.indicators import INDICATORS, Direction
from zhijiao.domain.quality.rules import JUMP_LIMIT, ROBUST_Z_LIMIT, RULES, Missing
from zhijiao.domain.quality.standards import Standard


@dataclass(frozen=True, slots=True)
class VerdictRow:
    school_id: int
    year: int
    indicator: str
    value: float | None
    numerator: float | None
    denominator: float | None
    threshold: float | None
    restrict_line: float | None
    verdict: str
    below_restrict: bool


@dataclass(frozen=True, slots=True)
class CardRow:
    school_id: int
    year: int
    card: str
    below: tuple[str, ...]
    has_lines: bool = True  # any 限制招生 line applied (else no card is really given)


@dataclass(frozen=True, slots=True)
class OutlierRow:
    school_id: int
    year: int
    indicator: str
    value: float
    kind: str  # robust_z | jump
    score: float


class QualityVerdictEngine:
    """One in-memory DuckDB database. Load values and schools (or create tables `v` and `schools`
    yourself), then `compute(years)`."""

    def __init__(self, threads: int | None = None) -> None:
        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def close(self) -> None:
        self.con.close()

    # --- loading ---
    def _copy(self, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{table}.csv"
            with path.open("w", newline="", encoding="utf-8") as f:
                csv.writer(f).writerows(rows)
                empty = f.tell() == 0
            self.con.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
            if empty:  # no rows (e.g. a province without any data yet): DuckDB cannot sniff an empty file
                return
            self.con.execute(
                f"INSERT INTO {table} SELECT * FROM read_csv(?, header = false, columns = {self._spec(columns)})",
                [str(path)],
            )

    @staticmethod
    def _spec(columns: str) -> str:
        parts = [c.strip().split() for c in columns.split(",")]
        return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in parts) + "}"

    def load_values(self, rows: Iterable[tuple[int, str, str, str, Decimal | float]]) -> None:
        """Values as (school_id, period, element, category, value), stored typed: the period as its end
        year and whether it is an academic year, the element as an ENUM of the element codes."""
        self._copy(
            "raw", "school_id INTEGER, period VARCHAR, element VARCHAR, category VARCHAR, value DOUBLE", rows
        )
        codes = ", ".join(f"'{e.code}'" for e in ELEMENTS)
        self.con.execute(f"CREATE TYPE IF NOT EXISTS element_code AS ENUM ({codes})")
        self.con.execute(
            """CREATE OR REPLACE TABLE v AS
               SELECT school_id, CAST(right(period, 4) AS SMALLINT) AS year, length(period) = 9 AS academic,
                      CAST(element AS element_code) AS element, coalesce(category, '') AS category, value
               FROM raw"""
        )
        self.con.execute("DROP TABLE raw")

    def load_schools(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        self._copy("schools", "school_id INTEGER, province VARCHAR, level VARCHAR, discipline VARCHAR", rows)
        # small ENUMs instead of strings in the large tables built from these
        levels = ", ".join(f"'{x.value}'" for x in SchoolLevel)
        kinds = ", ".join(f"'{x.value}'" for x in DisciplineType)
        self.con.execute(f"CREATE TYPE IF NOT EXISTS level_code AS ENUM ({levels})")
        self.con.execute(f"CREATE TYPE IF NOT EXISTS discipline_code AS ENUM ({kinds})")
        self.con.execute(
            "CREATE OR REPLACE TABLE schools AS SELECT school_id, province, CAST(level AS level_code) AS level, "
            "CAST(discipline AS discipline_code) AS discipline FROM schools"
        )

    def load_standards(self, standards: Sequence[Standard]) -> None:
        rows = [
            (s.indicator, s.level.value, s.discipline.value if s.discipline else "", float(s.pass_line),
             "" if s.restrict_line is None else float(s.restrict_line), s.effective_from.isoformat(),
             s.effective_to.isoformat() if s.effective_to else "", s.scope, s.scope_rank, s.discipline is not None,
             s.below_is)
            for s in standards
        ]  # fmt: skip
        self._copy(
            "std",
            "indicator VARCHAR, level VARCHAR, discipline VARCHAR, pass_line DOUBLE, restrict_line DOUBLE, "
            "eff_from DATE, eff_to DATE, scope VARCHAR, scope_rank INTEGER, specific BOOLEAN, below_is VARCHAR",
            rows,
        )
        self.con.execute("UPDATE std SET discipline = NULL WHERE discipline = ''")

    # --- computing ---
    timings: dict[str, float]

    def _timed(self, name: str, sql: str) -> None:
        import time

        t = time.perf_counter()
        self.con.execute(sql)
        self.timings[name] = time.perf_counter() - t

    def compute(self, years: Sequence[int]) -> None:
        """Build the tables `verdicts`, `cards` and `outliers` for `years` (and the two years before
        each, which the cards' three-years-running rule reads)."""
        self.timings = {}
        wanted = sorted({y - k for y in years for k in range(3)})
        year_list = ", ".join(str(y) for y in wanted)

        def pivot(where: str, agg: str) -> str:
            cols = ", ".join(
                f"{agg}(value) FILTER (WHERE element = '{e.code}') AS \"{e.code}\"" for e in ELEMENTS
            )
            return f"SELECT school_id, year, {cols} FROM v WHERE year IN ({year_list}) AND {where} GROUP BY school_id, year"

        # each element's total for a year: the academic year's value without category, else the sum of
        # its categories, else the same for calendar year — four pivots (the first holds nearly every
        # value; the others are small), combined column by column
        classes = (
            ("v_at", "academic AND category = ''", "max"), ("v_ac", "academic AND category <> ''", "sum"),
            ("v_ct", "NOT academic AND category = ''", "max"), ("v_cc", "NOT academic AND category <> ''", "sum"),
        )  # fmt: skip
        present = self.con.execute(
            f"SELECT {', '.join(f'bool_or({w})' for _k, w, _a in classes[1:])} FROM v WHERE year IN ({year_list})"
        ).fetchone() or (False, False, False)
        classes = (classes[0], *(c for c, there in zip(classes[1:], present, strict=True) if there))

        def first_of(code: str) -> str:
            found = [f'{k}."{code}"' for k, _w, _a in classes]
            return (f"coalesce({', '.join(found)})" if len(found) > 1 else found[0]) + f' AS "{code}"'

        cols = ", ".join(first_of(e.code) for e in ELEMENTS)
        joins = " ".join(f"FULL JOIN {k} USING (school_id, year)" for k, _w, _a in classes[1:])
        ctes = ", ".join(f"{k} AS ({pivot(w, a)})" for k, w, a in classes)
        self._timed(
            "wide",
            f"""CREATE OR REPLACE TABLE wide AS
                WITH {ctes}
                SELECT school_id, year, sc.province, sc.level, sc.discipline, {cols}
                FROM v_at {joins} JOIN schools sc USING (school_id)""",
        )
        # every indicator of every school-year in one statement over the whole table (no loop over
        # schools): column k holds indicator k's numerator, denominator and value
        n = len(INDICATORS)
        cols = []
        for k, ind in enumerate(INDICATORS):
            num, den = to_sql(ind.numerator_tree), to_sql(ind.denominator_tree)
            cols.append(
                f"{num} AS n{k}, {den} AS d{k}, round({num} / NULLIF({den}, 0) * {float(ind.factor)}, {ind.decimals}) AS x{k}"
            )
        self._timed(
            "indicators",
            f"CREATE OR REPLACE TABLE iv AS SELECT school_id, year, province, level, discipline, {', '.join(cols)} FROM wide",
        )
        # the lines: the national ones resolved once per (level, discipline, year, indicator) — a small
        # table —, and the rare local ones (a province's, a school's) per school-year; a local line wins
        # and keeps the national 限制招生 line (as `standards.resolve`)
        codes = [i.code for i in INDICATORS]

        def by_indicator(column: str, prefix: str) -> str:
            return ", ".join(
                f"max({column}) FILTER (WHERE indicator = '{c}') AS {prefix}{k}" for k, c in enumerate(codes)
            )

        self._timed(
            "lines",
            f"""
            CREATE OR REPLACE TABLE nat AS
            WITH keys AS (SELECT DISTINCT level, discipline, year FROM wide),
            best AS (
                SELECT k.level, k.discipline, k.year, s.indicator, s.pass_line, s.restrict_line, s.below_is
                FROM keys k JOIN std s ON s.scope = 'national' AND s.level = k.level
                    AND (s.discipline IS NULL OR s.discipline = k.discipline)
                    AND s.eff_from <= make_date(k.year, 8, 31)
                    AND (s.eff_to IS NULL OR make_date(k.year, 8, 31) < s.eff_to)
                QUALIFY row_number() OVER (PARTITION BY k.level, k.discipline, k.year, s.indicator
                                           ORDER BY s.specific DESC, s.eff_from DESC) = 1
            )
            SELECT level, discipline, year, {by_indicator("pass_line", "p")}, {by_indicator("restrict_line", "r")},
                   {by_indicator("below_is", "b")}
            FROM best GROUP BY level, discipline, year;
            CREATE OR REPLACE TABLE loc AS
            WITH best AS (
                SELECT w.school_id, w.year, s.indicator, s.pass_line, s.below_is
                FROM wide w JOIN std s ON s.scope <> 'national' AND s.level = w.level
                    AND (s.scope = 'province:' || w.province OR s.scope = 'school:' || CAST(w.school_id AS VARCHAR))
                    AND (s.discipline IS NULL OR s.discipline = w.discipline)
                    AND s.eff_from <= make_date(w.year, 8, 31)
                    AND (s.eff_to IS NULL OR make_date(w.year, 8, 31) < s.eff_to)
                QUALIFY row_number() OVER (PARTITION BY w.school_id, w.year, s.indicator
                                           ORDER BY s.scope_rank DESC, s.specific DESC, s.eff_from DESC) = 1
            )
            SELECT school_id, year, {by_indicator("pass_line", "lp")}, {by_indicator("below_is", "lb")}
            FROM best GROUP BY school_id, year
        """,
        )
        # verdicts: per indicator column, the same decision as `verdicts.classify`
        parts = []
        for k, ind in enumerate(INDICATORS):
            ge = ">=" if ind.direction is Direction.at_least else "<="
            x, p, r, b = f"x{k}", f"coalesce(l.lp{k}, nl.p{k})", f"nl.r{k}", f"coalesce(l.lb{k}, nl.b{k})"
            parts.append(
                f"""{p} AS t{k}, {r} AS r{k},
                CASE WHEN {x} IS NULL THEN CASE WHEN {r} IS NOT NULL THEN 'fail' ELSE 'warning' END
                     WHEN {p} IS NULL OR {x} {ge} {p} THEN 'pass'
                     WHEN {r} IS NOT NULL AND {x} {ge} {r} THEN 'warning'
                     WHEN {r} IS NOT NULL THEN 'fail'
                     WHEN {b} = 'warning' THEN 'warning' ELSE 'fail' END::verdict_code AS v{k},
                coalesce({r} IS NOT NULL AND ({x} IS NULL OR NOT ({x} {ge} {r})), false) AS u{k}"""
            )
        self.con.execute("CREATE TYPE IF NOT EXISTS verdict_code AS ENUM ('pass', 'warning', 'fail')")
        below = " + ".join(f"CAST(u{k} AS INTEGER)" for k in range(n))
        below_list = (
            "list_filter(["
            + ", ".join(f"CASE WHEN u{k} THEN '{c}' END" for k, c in enumerate(codes))
            + "], lambda c: c IS NOT NULL)"
        )
        has_lines = " OR ".join(f"r{k} IS NOT NULL" for k in range(n))
        self._timed(
            "verdicts",
            f"""
            CREATE OR REPLACE TABLE vw AS
            SELECT *, {below} AS below, {below_list} AS below_list, ({has_lines}) AS has_lines FROM (
                SELECT i.*, {", ".join(parts)}
                FROM iv i
                LEFT JOIN nat nl ON nl.level = i.level AND nl.discipline = i.discipline AND nl.year = i.year
                LEFT JOIN loc l ON l.school_id = i.school_id AND l.year = i.year
            )
        """,
        )
        # the verdicts one row per indicator, as a view over those columns (read for a province's page)
        self.con.execute(
            "CREATE OR REPLACE VIEW verdicts AS "
            + " UNION ALL ".join(
                f"SELECT school_id, year, '{c}' AS indicator, x{k} AS value, n{k} AS numerator, d{k} AS denominator, "
                f"t{k} AS threshold, r{k} AS restrict_line, v{k} AS verdict, u{k} AS below_restrict FROM vw"
                for k, c in enumerate(codes)
            )
        )
        self._timed(
            "cards",
            """
            CREATE OR REPLACE TABLE cards AS
            SELECT school_id, year,
                   CASE WHEN below >= 2 THEN 'red'
                        WHEN below = 1 AND y1 = year - 1 AND y2 = year - 2 AND b1 >= 1 AND b2 >= 1 THEN 'red'
                        WHEN below = 1 THEN 'yellow' ELSE 'pass' END AS card,
                   below_list, has_lines
            FROM (
                SELECT school_id, year, below, below_list, has_lines,
                       lag(below) OVER w AS b1, lag(year) OVER w AS y1,
                       lag(below, 2) OVER w AS b2, lag(year, 2) OVER w AS y2
                FROM vw WINDOW w AS (PARTITION BY school_id ORDER BY year)
            )
        """,
        )
        # the consistency rules, each as one predicate over every school-year (the domain's rules, their
        # expressions rendered as SQL, with the same missing-value strategies)
        checks = []
        for rule in RULES:
            left, right = parse(rule.left), parse(rule.right)
            refs = list(dict.fromkeys(references(left) + references(right)))
            if rule.missing is Missing.skip_if_any:
                guard = " AND ".join(f'"{c}" IS NOT NULL' for c in refs) or "true"
                col = '"{code}"'
            else:
                guard = (
                    (" OR ".join(f'"{c}" IS NOT NULL' for c in refs) or "true")
                    if rule.missing is Missing.skip_if_all
                    else "true"
                )
                col = 'coalesce("{code}", 0)'
            if rule.code == "has_teachers":
                guard += ' AND coalesce("students_fulltime", 0) <> 0'
            checks.append(
                f"SELECT school_id, year, '{rule.code}' AS rule FROM wide WHERE ({guard}) "
                f"AND NOT ({to_sql(left, col)} {rule.operator.replace('==', '=')} {to_sql(right, col)})"
            )
        self._timed("rules", "CREATE OR REPLACE TABLE violations AS " + " UNION ALL ".join(checks))
        # outliers: peers are schools of the same level and type that year (each indicator's median and
        # MAD in one aggregate per group); jumps: the change from the school's year before (one window)
        stats = ", ".join(f"median(x{k}) AS m{k}, mad(x{k}) AS a{k}, count(x{k}) AS c{k}" for k in range(n))
        robust = " UNION ALL ".join(
            f"SELECT school_id, year, '{c}' AS indicator, x{k} AS value, 'robust_z' AS kind, "
            f"0.6745 * (x{k} - m{k}) / a{k} AS score FROM iv JOIN peer USING (level, discipline, year) "
            f"WHERE x{k} IS NOT NULL AND c{k} >= 5 AND a{k} > 0 AND abs(0.6745 * (x{k} - m{k}) / a{k}) > {ROBUST_Z_LIMIT}"
            for k, c in enumerate(codes)
        )
        lags = ", ".join(f"lag(x{k}) OVER w AS p{k}" for k in range(n))
        jumps = " UNION ALL ".join(
            f"SELECT school_id, year, '{c}', x{k}, 'jump', x{k} / p{k} - 1 FROM prev "
            f"WHERE py = year - 1 AND x{k} IS NOT NULL AND p{k} IS NOT NULL AND p{k} <> 0 "
            f"AND abs(x{k} / p{k} - 1) > {float(JUMP_LIMIT)}"
            for k, c in enumerate(codes)
        )
        self._timed(
            "outliers",
            f"""
            CREATE OR REPLACE TABLE outliers AS
            WITH peer AS (SELECT level, discipline, year, {stats} FROM iv GROUP BY level, discipline, year),
            prev AS (
                SELECT school_id, year, {", ".join(f"x{k}" for k in range(n))}, lag(year) OVER w AS py, {lags}
                FROM iv WINDOW w AS (PARTITION BY school_id ORDER BY year)
            )
            {robust} UNION ALL {jumps}
        """,
        )

    # --- reading ---
    def verdicts(self, years: Sequence[int]) -> list[VerdictRow]:
        q = "SELECT * FROM verdicts WHERE year IN (SELECT unnest(?)) ORDER BY school_id, year, indicator"
        return [VerdictRow(*r) for r in self.con.execute(q, [list(years)]).fetchall()]

    def cards(self, years: Sequence[int]) -> list[CardRow]:
        q = (
            "SELECT school_id, year, card, below_list, has_lines FROM cards WHERE year IN (SELECT unnest(?)) "
            "ORDER BY school_id, year"
        )
        return [
            CardRow(r[0], r[1], r[2], tuple(r[3]), bool(r[4]))
            for r in self.con.execute(q, [list(years)]).fetchall()
        ]

    def outliers(self, years: Sequence[int]) -> list[OutlierRow]:
        q = "SELECT * FROM outliers WHERE year IN (SELECT unnest(?)) ORDER BY school_id, year, indicator, kind"
        return [OutlierRow(*r) for r in self.con.execute(q, [list(years)]).fetchall()]

    def violations(self, years: Sequence[int]) -> list[tuple[int, int, str]]:
        """(school_id, year, rule code) of every consistency rule broken."""
        q = "SELECT * FROM violations WHERE year IN (SELECT unnest(?)) ORDER BY school_id, year, rule"
        return [(r[0], r[1], r[2]) for r in self.con.execute(q, [list(years)]).fetchall()]

    def card_counts(self, year: int) -> dict[str, dict[str, int]]:
        """province → card → schools."""
        q = """SELECT sc.province, c.card, count(*) FROM cards c JOIN schools sc USING (school_id)
               WHERE c.year = ? GROUP BY ALL ORDER BY ALL"""
        out: dict[str, dict[str, int]] = {}
        for prov, card, n in self.con.execute(q, [year]).fetchall():
            out.setdefault(prov, {})[card] = n
        return out
