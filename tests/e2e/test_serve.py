"""`zhijiao serve --workers N`: N processes each listening on the port, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET
from zhijiao.adapters.db.migrate import upgrade

ZHIJIAO = str(Path(sys.executable).with_name("zhijiao"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    upgrade(url)
    return {**os.environ, "ZHIJIAO_DATABASE_URL": url, "ZHIJIAO_SECRET_KEY": TEST_SECRET}


def _listeners(port: int) -> int:
    """Listening TCP sockets on `port` (state 0A in /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for r in rows if int(r.split()[1].split(":")[1], 16) == port and r.split()[3] == "0A")


def test_two_workers_listen_answer_and_stop_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    cmd = [ZHIJIAO, "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _listeners(port) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert _listeners(port) == 2  # each worker its own socket: the kernel spreads connections
        for _ in range(4):
            assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=10).status_code == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert _listeners(port) == 0


def test_a_port_already_taken_is_reported(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cmd = [ZHIJIAO, "serve", "--port", str(port), "--workers", "2"]
        done = subprocess.run(cmd, env=_env(tmp_path), capture_output=True, text=True, timeout=90)
    assert done.returncode != 0
    assert f"端口 {port} 是否已被占用" in done.stderr


def test_ctrl_c_stops_every_worker(tmp_path: Path) -> None:
    port = _free_port()
    cmd = [ZHIJIAO, "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd, env=_env(tmp_path), stdout=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while _listeners(port) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert _listeners(port) == 2
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    assert proc.wait(timeout=30) == 0
    assert _listeners(port) == 0
