"""Benchmark: importing outcome rows from CSV, end to end, against the raw insert of the same rows.

Not a test. Generates a CSV of N rows (default 1,000,000 for ~50,000 learners, from the demo
province's generator), then times, on SQLite and on PostgreSQL:

  (a) end to end: read the CSV with the stdlib `csv` module → `services.imports.import_outcomes`
      (validation, account opening with encryption and HMAC index, credit rules, one ledger entry per
      account for the batch with its RFC 9162 leaf hash, the signed checkpoint of the Merkle tree,
      one all-or-nothing transaction);
  (b) raw baseline: read the same CSV → plain `sqlite3.executemany` / psycopg `COPY` into a bare table;
  (c) floor: the rows (a) wrote — accounts, outcomes, ledger entries — read back (not timed) and written
      again into an empty copy of the platform's own schema (its indexes, foreign keys and triggers)
      with `executemany` / `COPY` in one transaction: what writing them costs with no Python work at all.

and prints rows/s for each, the ratio (a)/(b), the share of (a) that (c) accounts for, and the
peak RSS of the process that ran (a) ((c) runs in a child process).

    .venv/bin/python benchmarks/import_outcomes.py                  # 1,000,000 rows
    .venv/bin/python benchmarks/import_outcomes.py --rows 100000    # quicker
    .venv/bin/python benchmarks/import_outcomes.py --keep           # keep the databases (transcript_latency.py)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing
import os
import random
import resource
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text

from zhijiao.adapters.db.bulk import BULK_CACHE_KIB
from zhijiao.adapters.db.migrate import upgrade
from zhijiao.bootstrap import Platform
from zhijiao.config import Settings
from zhijiao.demo import vocab
from zhijiao.demo.province import AS_OF, SCALES, ProvinceGenerator
from zhijiao.domain.access import SYSTEM
from zhijiao.domain.creditbank.model import OUTCOME_KIND_LABELS, InstitutionKind, OutcomeKind
from zhijiao.domain.creditbank.rows import COLUMNS, header_map
from zhijiao.services import institutions
from zhijiao.services.creditbank import imports

SECRET = "benchmark-secret-key-0123456789abcdef-0123"
ROWS_PER_LEARNER = 20
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
RAW_COLUMNS = [c.key for c in COLUMNS]


def generate_csv(path: Path, rows: int, seed: int) -> ProvinceGenerator:
    """About ROWS_PER_LEARNER rows per learner: the demo's outcomes, topped up with trainings."""
    learners = max(1, rows // ROWS_PER_LEARNER)
    gen = ProvinceGenerator("44", seed, SCALES["default"], learners)
    rng = random.Random(f"{seed}:bench")
    trainers = gen.by_kind[InstitutionKind.enterprise]
    written = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([c.header for c in COLUMNS])
        for person in gen.learners():
            mine = gen.rows(person, rng)
            k = 0
            while len(mine) < ROWS_PER_LEARNER:
                k += 1
                mine.append(
                    {"national_id": person.national_id, "name": person.name,
                     "kind": OUTCOME_KIND_LABELS[OutcomeKind.training],
                     "title": f"{rng.choice(vocab.TRADES)}岗位技能提升培训（第{k}期）",
                     "issuer": rng.choice(trainers).uscc, "hours": rng.choice(("16", "24", "40")),
                     "obtained_on": AS_OF.replace(month=rng.randint(1, 8), day=rng.randint(1, 28)).isoformat()}
                )  # fmt: skip
            for cells in mine[: min(ROWS_PER_LEARNER, rows - written)]:
                out.writerow([cells.get(k, "") for k in RAW_COLUMNS])
                written += 1
            if written >= rows:
                break
    return gen


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, column key → cell) as an import reader gives them; the header is row 1."""
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        positions, problems = header_map(next(reader))
        assert not problems, problems
        keys = list(positions.items())
        for n, cells in enumerate(reader, start=2):
            yield n, {key: cells[i] for i, key in keys}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process (user + system): with other work on the machine, wall time can be much
    longer; the database server's own CPU (PostgreSQL) is not in it."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


STAGES = {"校验": "读取并校验 read + validate", "核对": "核对已有账号 existing accounts", "开户": "开户 open accounts",
          "写入": "写入成果、台账、检查点 write outcomes, ledger, checkpoint"}  # fmt: skip


def end_to_end(
    url: str, gen: ProvinceGenerator, csv_path: Path, sha: str
) -> tuple[float, int, list[tuple[str, float, float, float]]]:
    """Seconds, outcomes written, and (stage, seconds, CPU seconds of this process, peak RSS MB at its
    end) per stage of the import."""
    upgrade(url)
    p = Platform(Settings(database_url=url, secret_key=SECRET))
    for spec in gen.institutions:
        institutions.register_institution(
            p.uow(), SYSTEM, name=spec.name, kind=spec.kind, region_code=spec.region_code,
            moe_code=spec.moe_code, uscc=spec.uscc,
        )  # fmt: skip
    stages: list[tuple[str, float, float, float]] = []
    started = time.perf_counter()
    mark = [started, cpu_seconds()]

    def progress(stage: str, done: int, total: int) -> None:
        now, cpu = time.perf_counter(), cpu_seconds()
        stages.append((STAGES.get(stage, stage), now - mark[0], cpu - mark[1], peak_rss_mb()))
        mark[:] = [now, cpu]

    result = imports.import_outcomes(
        p.uow(), SYSTEM, read_rows(csv_path), filename=csv_path.name, file_sha256=sha, progress=progress
    )
    elapsed = time.perf_counter() - started
    stages.append(("提交 commit", started + elapsed - mark[0], cpu_seconds() - mark[1], peak_rss_mb()))
    if not result.ok:
        sys.exit("导入失败：" + "；".join(pr.describe(csv_path.name) for pr in result.problems[:5]))
    if p.engine.dialect.name == "postgresql":  # fresh statistics after a bulk load (not timed)
        with p.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))
    p.dispose()
    return elapsed, result.outcomes_created, stages


def read_only(csv_path: Path) -> float:
    """Seconds to read the CSV into (row, cells) as the import gets it: part of every figure here."""
    started = time.perf_counter()
    for _ in read_rows(csv_path):
        pass
    return time.perf_counter() - started


def raw_sqlite(path: Path, csv_path: Path) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(f"CREATE TABLE raw_outcomes ({', '.join(f'{k} TEXT' for k in RAW_COLUMNS)})")
    started = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(
        f"INSERT INTO raw_outcomes VALUES ({', '.join('?' for _ in RAW_COLUMNS)})",
        (tuple(cells[k] for k in RAW_COLUMNS) for _, cells in read_rows(csv_path)),
    )
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def raw_postgres(url: str, csv_path: Path) -> float:
    with psycopg.connect(url) as con:
        con.execute(f"CREATE TABLE raw_outcomes ({', '.join(f'{k} TEXT' for k in RAW_COLUMNS)})")
        con.commit()
        started = time.perf_counter()
        with (
            con.cursor() as cur,
            cur.copy(f"COPY raw_outcomes ({', '.join(RAW_COLUMNS)}) FROM STDIN") as copy,
        ):
            for _, cells in read_rows(csv_path):
                copy.write_row([cells[k] for k in RAW_COLUMNS])
        con.commit()
        return time.perf_counter() - started


FLOOR_TABLES = ("learning_accounts", "outcomes", "ledger_entries")  # in foreign-key order


def apart(measure: Callable[..., float], *args: object) -> float:
    """Run `measure` in a child process: the rows it holds do not count in this process's peak RSS."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(measure, *args).result()


def floor_sqlite(src: Path, dst: Path) -> float:
    """(c) on SQLite, with the connection settings the platform uses for a bulk write."""
    upgrade(f"sqlite:///{dst}")
    with sqlite3.connect(src) as s:
        institutions_rows = s.execute("SELECT * FROM institutions").fetchall()
        data = {t: s.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in FLOOR_TABLES}
    con = sqlite3.connect(dst, isolation_level=None)
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "synchronous=NORMAL",
        f"cache_size=-{BULK_CACHE_KIB}",
    ):
        con.execute(f"PRAGMA {pragma}")
    con.executemany(
        f"INSERT INTO institutions VALUES ({', '.join('?' * len(institutions_rows[0]))})", institutions_rows
    )
    started = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for t in FLOOR_TABLES:
        if data[t]:
            con.executemany(f"INSERT INTO {t} VALUES ({', '.join('?' * len(data[t][0]))})", data[t])
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def floor_postgres(src: str, dst: str) -> float:
    """(c) on PostgreSQL: the server parses and stores the rows; the client only sends bytes."""
    upgrade(dst)
    with psycopg.connect(src) as s, psycopg.connect(dst) as d:
        dumps = {}
        for t in ("institutions", *FLOOR_TABLES):
            with s.cursor().copy(f"COPY (SELECT * FROM {t} ORDER BY id) TO STDOUT") as copy:
                dumps[t] = b"".join(bytes(block) for block in copy)
        with d.cursor().copy("COPY institutions FROM STDIN") as copy:
            copy.write(dumps.pop("institutions"))
        d.commit()
        started = time.perf_counter()
        for t in FLOOR_TABLES:
            with d.cursor().copy(f"COPY {t} FROM STDIN") as copy:
                copy.write(dumps[t])
        d.commit()
        return time.perf_counter() - started


def fresh_postgres(name: str) -> str:
    admin = create_engine(
        PG_ADMIN.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--workdir", type=Path, default=Path("out/bench"))
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--pg-database", default="zhijiao_bench")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"负载 Load average at start: {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1 / 5 / 15 min)")
    csv_path = args.workdir / f"outcomes-{args.rows}.csv"

    t = time.perf_counter()
    gen = generate_csv(csv_path, args.rows, args.seed)
    sha = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    print(
        f"CSV: {csv_path} — {args.rows:,} 行，{gen.learner_count:,} 名学习者，生成用时 {time.perf_counter() - t:.1f} s"
    )

    results = []
    if not args.no_sqlite:
        db = args.workdir / "bench.db"
        raw_db = args.workdir / "raw.db"
        floor_db = args.workdir / "floor.db"
        for f in (db, raw_db, floor_db):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{f}{suffix}").unlink(missing_ok=True)
        e2e, n, stages = end_to_end(f"sqlite:///{db}", gen, csv_path, sha)
        raw = raw_sqlite(raw_db, csv_path)
        floor = apart(floor_sqlite, db, floor_db)
        results.append(("SQLite", n, e2e, raw, floor, str(db), stages))
        print(f"SQLite 完成；峰值内存 {peak_rss_mb():.0f} MB", flush=True)
    if not args.no_postgres:
        url = fresh_postgres(args.pg_database)
        e2e, n, stages = end_to_end(url, gen, csv_path, sha)
        raw = raw_postgres(url, csv_path)
        floor = apart(floor_postgres, url, fresh_postgres(args.pg_database + "_floor"))
        results.append(("PostgreSQL", n, e2e, raw, floor, url, stages))
        print(f"PostgreSQL 完成；峰值内存 {peak_rss_mb():.0f} MB", flush=True)

    print()
    print(
        f"{'数据库':<12}{'行数':>10}{'端到端 s':>10}{'端到端 行/s':>14}{'原始 s':>9}{'原始 行/s':>13}{'比值':>7}"
        f"{'下限 s':>9}{'下限 行/s':>13}{'下限/端到端':>12}"
    )
    for name, n, e2e, raw, floor, *_ in results:
        print(
            f"{name:<12}{n:>10,}{e2e:>10.1f}{n / e2e:>14,.0f}{raw:>9.1f}{args.rows / raw:>13,.0f}{raw / e2e:>7.2f}"
            f"{floor:>9.1f}{n / floor:>13,.0f}{floor / e2e:>12.2f}"
        )
    print(
        "原始：同样的行写入一张没有索引的裸表；下限：导入写下的账号、成果、台账各行（不计读取）原样写入一份空的本平台表结构"
        "（索引、外键、触发器俱全），不做任何 Python 处理。"
    )
    reading = read_only(csv_path)
    print(
        f"\n各阶段 Stages of the end-to-end import (wall s, CPU s of the importing process, peak RSS at the end of"
        f" each; reading the CSV alone: {reading:.1f} s)"
    )
    for name, *_, stages in results:
        print(
            f"  {name}: "
            + "；".join(f"{stage} {s:.1f} s（CPU {c:.1f} s，{rss:.0f} MB）" for stage, s, c, rss in stages)
        )
    print(f"负载 Load average: {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1 / 5 / 15 min)")
    print(f"\n峰值内存（RSS）：{peak_rss_mb():.0f} MB；数据库保留在：" + "；".join(r[5] for r in results))


if __name__ == "__main__":
    main()
