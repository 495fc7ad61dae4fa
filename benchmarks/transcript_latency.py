"""Benchmark: transcript API latency under concurrent clients, on loopback. Not a test.

Uses the databases `import_outcomes.py` leaves behind (SQLite file and PostgreSQL database, same
secret key), starts `zhijiao serve --workers 2` (uvicorn with uvloop and httptools, each worker process
listening on the port itself) in a subprocess on 127.0.0.1, signs in as a national
administrator, and has 32 concurrent keep-alive connections (one asyncio loop writing raw HTTP/1.1,
so the client takes little of the shared CPU) fetch random learners'
`GET /api/v1/accounts/{no}/transcript` for a fixed number of requests. Prints p50/p95/p99 and
requests/s, the server's CPU time per request (all uvicorn processes, from /proc: the figure the
other load on a shared machine does not move) and the client's, and the query plan of the
transcript's outcome query (to show it uses an index).

    .venv/bin/python benchmarks/import_outcomes.py                # loads the data first
    .venv/bin/python benchmarks/transcript_latency.py             # then measures
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
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
GOAL_P95_MS = 50.0


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
    p.dispose()
    if not accounts:
        sys.exit(f"{url} 中没有学习账号：请先运行 benchmarks/import_outcomes.py")
    rng = random.Random(seed)
    picked = rng.sample(accounts, min(sample, len(accounts)))
    return [make_account_no(prov, aid) for aid, prov in picked], plan


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ZHIJIAO_DATABASE_URL": url, "ZHIJIAO_SECRET_KEY": SECRET, "ZHIJIAO_DEMO": "0"}
    cmd = [
        str(Path(sys.executable).with_name("zhijiao")), "serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=10).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    sys.exit("服务未能在 60 秒内启动")


def sign_in(port: int) -> str:
    r = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/auth/token", data={"username": USERNAME, "password": PASSWORD}
    )
    r.raise_for_status()
    token: str = r.json()["access_token"]
    return token


async def fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, float]:
    """One request on a keep-alive HTTP/1.1 connection: (status, seconds until the whole body is read)."""
    t = time.perf_counter()
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status, time.perf_counter() - t


def worker_pids(root: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == root:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def connections_per_worker(root: int, port: int) -> list[int]:
    """How many established connections to `port` each worker process holds (from /proc, Linux)."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
            established.add(fields[9])  # socket inode
    counts = []
    for pid in worker_pids(root):
        n = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            n += target.startswith("socket:[") and target[8:-1] in established
        counts.append(n)
    return [c for c in counts if c]


def cpu_seconds(root: int) -> float:
    """User + system CPU time of a process and its children (the uvicorn workers), from /proc (Linux)."""
    pids = [root, *worker_pids(root)]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def hammer(
    port: int, numbers: list[str], requests: int, concurrency: int, token: str, server_pid: int
) -> tuple[list[float], float, int, float, float]:
    """`concurrency` keep-alive connections in one asyncio loop (raw HTTP/1.1, no client library, so
    the client costs the shared cores little), taking `requests` requests from one counter."""
    auth = f"Authorization: Bearer {token}\r\n".encode()
    rng = random.Random(2025)

    def request() -> bytes:
        path = f"/api/v1/accounts/{rng.choice(numbers)}/transcript"
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode() + auth + b"\r\n"

    latencies: list[float] = []
    failures = 0

    async def connection(count: int | None, counter: Iterator[int]) -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        done = 0
        try:
            while (next(counter) < requests) if count is None else done < count:
                status, seconds = await fetch(reader, writer, request())
                done += 1
                if count is None:
                    latencies.append(seconds)
                    failures += status != 200
        finally:
            writer.close()
            await writer.wait_closed()

    async def run(count: int | None, spread: list[int] | None = None) -> float:
        counter = itertools.count()
        started = time.perf_counter()
        tasks = [asyncio.create_task(connection(count, counter)) for _ in range(concurrency)]
        if spread is not None:
            await asyncio.sleep(0.5)  # every connection is open by now
            spread.extend(connections_per_worker(server_pid, port))
        await asyncio.gather(*tasks)
        return time.perf_counter() - started

    await run(4)  # warm-up: every worker process, connection and cache
    server, client = cpu_seconds(server_pid), time.process_time()
    spread: list[int] = []
    elapsed = await run(None, spread)
    server, client = cpu_seconds(server_pid) - server, time.process_time() - client
    return latencies, elapsed, failures, server, client, "/".join(map(str, sorted(spread, reverse=True)))


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 10) - 1] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sqlite", type=Path, default=Path("out/bench/bench.db"))
    ap.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/zhijiao_bench")
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--runs", type=int, default=3, help="每库测几轮（同一服务进程），报告各轮与中位数")
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
            token = sign_in(args.port)
            for run in range(1, args.runs + 1):
                lat, elapsed, failures, server_cpu, client_cpu, spread = asyncio.run(
                    hammer(args.port, numbers, args.requests, args.concurrency, token, proc.pid)
                )
                n = len(lat)
                rows.append(
                    (f"{name} #{run}", n, failures, pct(lat, 50), pct(lat, 95), pct(lat, 99), n / elapsed,
                     1000 * server_cpu / n, 1000 * client_cpu / n, spread)
                )  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        mine = rows[-args.runs :]
        median = [statistics.median(r[i] for r in mine) for i in range(3, 9)]
        rows.append((f"{name} 中位数", sum(r[1] for r in mine), sum(r[2] for r in mine), *median, ""))

    print(
        f"\n{args.concurrency} 个并发 keep-alive 连接（asyncio 原始 HTTP/1.1 客户端），每库 {args.requests} 次请求，"
        f"`zhijiao serve --workers {args.workers}`（每个进程各自监听端口），127.0.0.1"
    )
    print(
        f"{'数据库':<16}{'请求':>7}{'失败':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'请求/s':>9}"
        f"{'p95/目标':>10}{'服务CPU ms/请求':>16}{'客户端CPU ms/请求':>17}  各进程连接数"
    )
    for name, n, failures, p50, p95, p99, rps, server_ms, client_ms, spread in rows:
        print(
            f"{name:<16}{n:>7}{failures:>6}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{rps:>9.0f}"
            f"{p95 / GOAL_P95_MS:>10.2f}{server_ms:>16.2f}{client_ms:>17.2f}  {spread}"
        )
    print(
        f"p95 目标 {GOAL_P95_MS:.0f} ms。服务 CPU = uvicorn 各进程的用户态+内核态时间（/proc）÷ 请求数："
        f"不受同机其他负载影响；结束时 load average：{Path('/proc/loadavg').read_text().split()[:3]}"
    )


if __name__ == "__main__":
    main()
