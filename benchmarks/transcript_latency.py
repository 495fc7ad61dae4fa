"""Benchmark: transcript API latency under concurrent clients, on loopback. Not a test.

Uses the databases `import_outcomes.py` leaves behind (SQLite file and PostgreSQL database, same
secret key), starts the app with uvicorn in a subprocess on 127.0.0.1, signs in as a national
administrator, and has 32 concurrent clients (threads, keep-alive) fetch random learners'
`GET /api/v1/accounts/{no}/transcript` for a fixed number of requests. Prints p50/p95/p99 and
requests/s, and the query plan of the transcript's outcome query (to show it uses an index).

    .venv/bin/python benchmarks/import_outcomes.py                # loads the data first
    .venv/bin/python benchmarks/transcript_latency.py             # then measures
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from zhijiao.bootstrap import Platform
from zhijiao.config import Settings
from zhijiao.domain.access import Role
from zhijiao.domain.identity import make_account_no
from zhijiao.services import users

SECRET = "benchmark-secret-key-0123456789abcdef-0123"  # the same as import_outcomes.py
USERNAME, PASSWORD = "bench_admin", "bench-password-2025"


def prepare(url: str, sample: int, seed: int) -> tuple[list[str], str]:
    """Make sure the benchmark user exists; pick random account numbers; return them and the query plan."""
    p = Platform(Settings(database_url=url, secret_key=SECRET))
    with p.uow().read() as uow:
        exists = uow.users.by_username(USERNAME) is not None
    if not exists:
        users.create_user(
            p.uow(), username=USERNAME, password=PASSWORD, role=Role.national_admin, display_name=USERNAME
        )
    with p.engine.connect() as c:
        accounts = c.execute(text("SELECT id, province_code FROM learning_accounts")).all()
        sql = "SELECT * FROM outcomes WHERE account_id = 1 ORDER BY obtained_on, id"
        if p.engine.dialect.name == "sqlite":
            plan = "; ".join(r[-1] for r in c.execute(text("EXPLAIN QUERY PLAN " + sql)))
        else:
            plan = "; ".join(r[0].strip() for r in c.execute(text("EXPLAIN " + sql)))
    p.engine.dispose()
    if not accounts:
        sys.exit(f"{url} 中没有学习账号：请先运行 benchmarks/import_outcomes.py")
    rng = random.Random(seed)
    picked = rng.sample(accounts, min(sample, len(accounts)))
    return [make_account_no(prov, aid) for aid, prov in picked], plan


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ZHIJIAO_DATABASE_URL": url, "ZHIJIAO_SECRET_KEY": SECRET, "ZHIJIAO_DEMO": "0"}
    cmd = [
        sys.executable, "-m", "uvicorn", "zhijiao.api.app:create_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    sys.exit("服务未能在 60 秒内启动")


def sign_in(port: int) -> dict[str, str]:
    r = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/auth/token", data={"username": USERNAME, "password": PASSWORD}
    )
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def hammer(port: int, numbers: list[str], requests: int, concurrency: int) -> tuple[list[float], float, int]:
    """`concurrency` client threads, each on its own keep-alive connection (stdlib http.client: the
    client should cost the shared 2 cores as little as possible), taking requests from one counter."""
    headers = sign_in(port)
    latencies: list[float] = []
    failures = 0
    counter = itertools.count()
    lock = threading.Lock()

    def client_loop(worker: int, count: int | None) -> None:
        nonlocal failures
        rng = random.Random(worker)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while (next(counter) < requests) if count is None else (len(mine) < count):
            t = time.perf_counter()
            conn.request("GET", f"/api/v1/accounts/{rng.choice(numbers)}/transcript", headers=headers)
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t)
            bad += resp.status != 200
        conn.close()
        with lock:
            if count is None:
                latencies.extend(mine)
                failures += bad

    def run(count: int | None) -> float:
        threads = [threading.Thread(target=client_loop, args=(i, count)) for i in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started

    run(4)  # warm-up: every worker process, connection and cache
    elapsed = run(None)
    return latencies, elapsed, failures


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 10) - 1] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sqlite", type=Path, default=Path("out/bench/bench.db"))
    ap.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/zhijiao_bench")
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    targets = [("SQLite", f"sqlite:///{args.sqlite.resolve()}")]
    if not args.no_postgres:
        targets.append(("PostgreSQL", args.postgres))

    rows = []
    for name, url in targets:
        numbers, plan = prepare(url, 5000, 2025)
        print(f"{name}：{len(numbers)} 个随机账号；成果查询计划：{plan}", flush=True)
        proc = start_server(url, args.port, args.workers)
        try:
            lat, elapsed, failures = hammer(args.port, numbers, args.requests, args.concurrency)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        rows.append((name, len(lat), failures, pct(lat, 50), pct(lat, 95), pct(lat, 99), len(lat) / elapsed))

    print(f"\n{args.concurrency} 个并发客户端，uvicorn {args.workers} 个进程，127.0.0.1")
    print(f"{'数据库':<12}{'请求':>7}{'失败':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'请求/s':>9}")
    for name, n, failures, p50, p95, p99, rps in rows:
        print(f"{name:<12}{n:>7}{failures:>6}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{rps:>9.0f}")


if __name__ == "__main__":
    main()
