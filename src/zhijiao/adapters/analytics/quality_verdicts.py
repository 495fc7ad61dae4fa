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
            self.con.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
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

        def first_of(code: str) -> str:
            return "coalesce(" + ", ".join(f'{k}."{code}"' for k, _w, _a in classes) + f') AS "{code}"'

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
        parts = []
        codes = ", ".join(f"'{i.code}'" for i in INDICATORS)
        self.con.execute(f"CREATE TYPE IF NOT EXISTS indicator_code AS ENUM ({codes})")
        for ind in INDICATORS:
            num, den = to_sql(ind.numerator_tree), to_sql(ind.denominator_tree)
            value = f"round({num} / NULLIF({den}, 0) * {float(ind.factor)}, {ind.decimals})"
            parts.append(
                f"SELECT school_id, year, CAST('{ind.code}' AS indicator_code) AS indicator, level, discipline, "
                f"{num} AS numerator, {den} AS denominator, {value} AS value FROM wide"
            )
        # every indicator of every school-year: one statement over the whole table, no loop over schools
        self._timed("indicators", "CREATE OR REPLACE TABLE ind AS " + " UNION ALL ".join(parts))
        at_most = ", ".join(f"'{i.code}'" for i in INDICATORS if i.direction is Direction.at_most)
        has_local = (
            self.con.execute("SELECT count(*) FROM std WHERE scope <> 'national'").fetchone() or (0,)
        )[0]
        # the lines: the national ones resolved once per (level, discipline, year, indicator) — a small
        # table —, and the rare local ones (a province's, a school's) per school; a local line wins
        # and keeps the national 限制招生 line (as `standards.resolve`)
        self._timed(
            "lines",
            """
            CREATE OR REPLACE TABLE nat AS
            WITH keys AS (
                SELECT DISTINCT w.level, w.discipline, w.year, CAST(i.code AS indicator_code) AS indicator
                FROM wide w, (SELECT unnest(enum_range(NULL::indicator_code)) AS code) i
            )
            SELECT k.level, k.discipline, k.year, k.indicator, s.pass_line, s.restrict_line, s.below_is
            FROM keys k JOIN std s ON s.scope = 'national' AND s.indicator = k.indicator AND s.level = k.level
                AND (s.discipline IS NULL OR s.discipline = k.discipline)
                AND s.eff_from <= make_date(k.year, 8, 31)
                AND (s.eff_to IS NULL OR make_date(k.year, 8, 31) < s.eff_to)
            QUALIFY row_number() OVER (PARTITION BY k.level, k.discipline, k.year, k.indicator
                                       ORDER BY s.specific DESC, s.eff_from DESC) = 1;
            CREATE OR REPLACE TABLE loc AS
            SELECT i.school_id, i.year, i.indicator, s.pass_line, s.below_is, s.scope
            FROM ind i JOIN schools sc USING (school_id)
            JOIN std s ON s.scope <> 'national' AND s.indicator = i.indicator AND s.level = i.level
                AND (s.scope = 'province:' || sc.province OR s.scope = 'school:' || CAST(i.school_id AS VARCHAR))
                AND (s.discipline IS NULL OR s.discipline = i.discipline)
                AND s.eff_from <= make_date(i.year, 8, 31)
                AND (s.eff_to IS NULL OR make_date(i.year, 8, 31) < s.eff_to)
            WHERE {has_local}  -- no local lines: nothing to resolve per school
            QUALIFY row_number() OVER (PARTITION BY i.school_id, i.year, i.indicator
                                       ORDER BY s.scope_rank DESC, s.specific DESC, s.eff_from DESC) = 1
        """.replace("{has_local}", "true" if has_local else "false"),
        )

        def meets(line: str) -> str:
            return f"CASE WHEN indicator IN ({at_most}) THEN value <= {line} ELSE value >= {line} END"

        self._timed(
            "verdicts",
            f"""
            CREATE OR REPLACE TABLE verdicts AS
            WITH best AS (
                SELECT i.school_id, i.year, i.indicator, i.value, i.numerator, i.denominator,
                       coalesce(l.pass_line, n.pass_line) AS pass_line, n.restrict_line AS restrict_eff,
                       coalesce(l.below_is, n.below_is) AS below_is
                FROM ind i
                LEFT JOIN nat n ON n.level = i.level AND n.discipline = i.discipline AND n.year = i.year
                    AND n.indicator = i.indicator
                LEFT JOIN loc l ON l.school_id = i.school_id AND l.year = i.year AND l.indicator = i.indicator
            )
            SELECT school_id, year, indicator, value, numerator, denominator, pass_line AS threshold,
                   restrict_eff AS restrict_line,
                   CASE
                     WHEN value IS NULL THEN CASE WHEN restrict_eff IS NOT NULL THEN 'fail' ELSE 'warning' END
                     WHEN pass_line IS NULL THEN 'pass'
                     WHEN {meets("pass_line")} THEN 'pass'
                     WHEN restrict_eff IS NOT NULL AND {meets("restrict_eff")} THEN 'warning'
                     WHEN restrict_eff IS NOT NULL THEN 'fail'
                     WHEN below_is = 'warning' THEN 'warning'
                     ELSE 'fail'
                   END AS verdict,
                   restrict_eff IS NOT NULL AND (value IS NULL OR NOT {meets("restrict_eff")}) AS below_restrict
            FROM best
        """,
        )
        self._timed(
            "cards",
            """
            CREATE OR REPLACE TABLE cards AS
            WITH base AS (
                SELECT school_id, year, count(*) FILTER (WHERE below_restrict) AS below,
                       list(indicator ORDER BY indicator) FILTER (WHERE below_restrict) AS below_list,
                       bool_or(restrict_line IS NOT NULL) AS has_lines
                FROM verdicts GROUP BY school_id, year
            )
            SELECT b.school_id, b.year,
                   CASE WHEN b.below >= 2 THEN 'red'
                        WHEN b.below = 1 AND coalesce(b1.below >= 1 AND b2.below >= 1, false) THEN 'red'
                        WHEN b.below = 1 THEN 'yellow' ELSE 'pass' END AS card,
                   coalesce(b.below_list, []) AS below_list, b.has_lines
            FROM base b
            LEFT JOIN base b1 ON b1.school_id = b.school_id AND b1.year = b.year - 1
            LEFT JOIN base b2 ON b2.school_id = b.school_id AND b2.year = b.year - 2
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
        # peers: schools of the same level and type, that year (median and MAD per group, joined back)
        self._timed(
            "outliers",
            f"""
            CREATE OR REPLACE TABLE outliers AS
            WITH peer AS (
                SELECT level, discipline, year, indicator, median(value) AS med, mad(value) AS mad,
                       count(value) AS n
                FROM ind WHERE value IS NOT NULL GROUP BY level, discipline, year, indicator
            ), z AS (
                SELECT i.school_id, i.year, i.indicator, i.value, 0.6745 * (i.value - p.med) / p.mad AS score
                FROM ind i JOIN peer p USING (level, discipline, year, indicator)
                WHERE i.value IS NOT NULL AND p.n >= 5 AND p.mad > 0
            )
            SELECT school_id, year, indicator, value, 'robust_z' AS kind, score FROM z
            WHERE abs(score) > {ROBUST_Z_LIMIT}
            UNION ALL
            SELECT school_id, year, indicator, value, 'jump', value / before - 1 FROM (
                SELECT school_id, year, indicator, value,
                       lag(value) OVER (PARTITION BY school_id, indicator ORDER BY year) AS before,
                       lag(year) OVER (PARTITION BY school_id, indicator ORDER BY year) AS before_year
                FROM ind WHERE value IS NOT NULL
            )
            WHERE before_year = year - 1 AND before <> 0 AND abs(value / before - 1) > {float(JUMP_LIMIT)}
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
