"""Latency of the overview page (省级概况) at the demo's size and at 10×, summaries against from scratch.

Builds the demo province (the real `zhijiao demo` generator, default scale: ~30,000 learners,
~405,000 outcomes) in a fresh database, measures, then grows the outcomes table to `--factor` times
its size by copying every outcome (new ids and source keys, same accounts), brings the summaries in
line (`overview_summary.rebuild`, the same rows the repositories maintain — the tests prove
they agree) and measures again. At each size it prints the median and p95 of

- the page: `GET /province` as the province admin (FastAPI TestClient, in process, charts included);
- the overview from the summaries (`CreditbankOverview` + `summarise`), what the page uses;
- the overview from scratch (`CreditbankOverviewFromScratch` + `summarise`), the old way;

and the ratio from scratch / summaries, all from the same run.

    nice -n 5 .venv/bin/python benchmarks/overview_latency.py [--learners 30000] [--factor 10] [--repeat 20]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]   # default: SQLite in out/bench/
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

os.environ.setdefault("ZHIJIAO_DEMO", "1")

from zhijiao.adapters.analytics.creditbank_overview import CreditbankOverview, CreditbankOverviewFromScratch
from zhijiao.adapters.db import overview_summary
from zhijiao.adapters.db.migrate import upgrade
from zhijiao.bootstrap import Platform
from zhijiao.config import Settings
from zhijiao.demo.build import build_demo
from zhijiao.services.creditbank.province_overview import summarise

PROVINCE = "44"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm (compiled statements, page cache)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def overview(platform: Platform, side: type) -> Callable[[], object]:
    def run() -> object:
        with platform.engine.connect() as conn:
            s = side(conn)
            return summarise(PROVINCE, s.institutions(PROVINCE), s.outcome_groups(PROVINCE),
                             s.learner_groups(PROVINCE), s.application_states(PROVINCE))  # fmt: skip

    return run


def page(platform: Platform) -> Callable[[], object]:
    from fastapi.testclient import TestClient

    from zhijiao.api.app import create_app

    client = TestClient(create_app(platform))
    r = client.post(
        "/signin", data={"username": "gd_admin", "password": "zhijiao-demo-2025"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text

    def run() -> object:
        r = client.get("/province")
        assert r.status_code == 200 and "<svg" in r.text
        return r

    return run


def grow(platform: Platform, factor: int) -> int:
    """Copy every outcome `factor - 1` times (new ids and source keys); return the new count."""
    cols = ("account_id, kind, title, code, issuer_id, obtained_on, hours, credits, score, grade, level, "
            "framework_level, evidence_ref, status, recorded_by, created_at")  # fmt: skip
    with platform.engine.begin() as conn:
        top = conn.execute(text("SELECT max(id) FROM outcomes")).scalar_one()
        for k in range(1, factor):
            key = f"substr(source_key, 1, 28) || '#{k}'"  # source_key is String(32)
            conn.execute(text(
                f"INSERT INTO outcomes (id, source_key, {cols}) SELECT id + {k * top}, {key}, {cols} "
                f"FROM outcomes WHERE id <= {top}"
            ))  # fmt: skip
        overview_summary.rebuild(conn)
        return int(conn.execute(text("SELECT count(*) FROM outcomes")).scalar_one())


def measure(platform: Platform, label: str, repeat: int) -> None:
    with platform.engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM outcomes")).scalar_one()
        rows = conn.execute(text("SELECT count(*) FROM overview_outcomes")).scalar_one()
    summary = overview(platform, CreditbankOverview)
    scratch = overview(platform, CreditbankOverviewFromScratch)
    assert summary() == scratch(), "summaries and from scratch disagree"
    p50, p95 = timed(page(platform), repeat)
    s50, s95 = timed(summary, repeat)
    f50, f95 = timed(scratch, max(3, repeat // 4))
    print(f"{label}: {n:,} outcomes ({rows:,} summary rows)")
    print(f"  page GET /province        median {p50:8.1f} ms   p95 {p95:8.1f} ms")
    print(f"  overview from summaries   median {s50:8.1f} ms   p95 {s95:8.1f} ms")
    print(f"  overview from scratch     median {f50:8.1f} ms   p95 {f95:8.1f} ms")
    print(f"  ratio from scratch / summaries (median): {f50 / s50:,.0f}×")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=None, help="default: the demo's default scale")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    if args.postgres:
        url = args.postgres
        from sqlalchemy import create_engine

        with create_engine(url.replace("postgresql://", "postgresql+psycopg://")).begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        path = Path("out/bench/overview.db")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    upgrade(url)
    platform = Platform(Settings(database_url=url, demo=True))
    t = time.perf_counter()
    build_demo(platform, learners=args.learners)
    print(f"demo built in {time.perf_counter() - t:.0f} s ({platform.engine.dialect.name})")
    measure(platform, "demo size", args.repeat)
    t = time.perf_counter()
    n = grow(platform, args.factor)
    print(f"grown to {n:,} outcomes in {time.perf_counter() - t:.0f} s")
    measure(platform, f"{args.factor}× the demo", args.repeat)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
