"""Serving the app with uvicorn: one process, or worker processes that each listen on the port.

uvicorn's own `--workers` shares one listening socket among the workers, and whichever worker wakes
first accepts every waiting connection: measured on the 2-core reference machine, 21 to 27 of 32
keep-alive clients ended up on one of two workers, which then queued their requests while the other
idled. Here each worker binds its own socket with SO_REUSEPORT and the kernel spreads new connections
over them by address hash (32 clients: 14–18 per worker). docs/decisions/0010.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType

APP = "zhijiao.api.app:serve_app"
STEADY_SECONDS = 10.0  # a worker that dies sooner after starting is not restarted: something is wrong


def run(host: str, port: int, workers: int) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    import uvicorn

    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, log_level="warning")
        return
    ctx = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> tuple[BaseProcess, float]:
        proc = ctx.Process(target=_worker, args=(host, port), name="zhijiao-worker")
        proc.start()
        return proc, time.monotonic()

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for proc, _ in running:
            if proc.is_alive() and proc.pid not in stopped:
                stopped.add(proc.pid)
                proc.terminate()  # SIGTERM once: uvicorn finishes the requests in flight, then exits

    running: list[tuple[BaseProcess, float]] = []
    stopped: set[int | None] = set()
    signal.signal(signal.SIGTERM, stop)
    running.extend(start() for _ in range(workers))
    try:
        while not stopping:
            for i, (proc, started) in enumerate(running):
                if proc.is_alive() or stopping:  # (a SIGTERM may arrive between two checks)
                    continue
                if proc.exitcode == 0:  # asked to stop (a Ctrl-C reached it directly): so do the rest
                    stop(signal.SIGTERM, None)
                    break
                if time.monotonic() - started < STEADY_SECONDS:
                    stop(signal.SIGTERM, None)
                    for other, _ in running:
                        other.join()
                    sys.exit(f"服务进程启动后即退出（退出码 {proc.exitcode}）：端口 {port} 是否已被占用？")
                running[i] = start()  # a worker that crashed after running a while is replaced
            time.sleep(0.5)
    except KeyboardInterrupt:
        stop(signal.SIGINT, None)  # a Ctrl-C in the terminal reached the workers too; a kill -INT did not
    finally:
        stop(signal.SIGTERM, None)  # also any worker started just as a signal came in
        for proc, _ in running:
            proc.join()


def _worker(host: str, port: int) -> None:
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
