"""Run Coproduce behind a production-grade HTTP server (Granian), never Django's runserver."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from coproduce.site.runtime import collect_static, require_migrated

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


logger = logging.getLogger("coproduce.server")


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def url_for(host: str, port: int) -> str:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def stop_with_parent() -> None:
    """In the worker's process, before it starts: ask Linux to end it when the server ends,
    however the server ends (a signal can stop the server before its own clean-up runs)."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the server's clean-up stops the worker
        pass


def start_worker() -> subprocess.Popen[bytes]:
    """A `coproduce worker` process beside the server, with the same data directory."""
    return subprocess.Popen(
        [sys.executable, "-m", "coproduce", "worker"],
        env=os.environ.copy(),
        preexec_fn=stop_with_parent,  # only sets the death signal; safe before exec
    )


class Supervisor:
    """Keeps a process running: when it ends by itself, it is started again (after 1 s, then
    longer, up to a minute, while it keeps failing), and each restart is logged."""

    def __init__(self, start: Callable[[], subprocess.Popen[bytes]], name: str) -> None:
        self.start, self.name = start, name
        self.process = start()
        self.restarts = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True, name=f"{name}-supervisor")
        self.thread.start()

    def watch(self) -> None:
        delay = 1.0
        while not self.stopping.is_set():
            started = time.monotonic()
            code = self.process.wait()
            if self.stopping.is_set():
                return
            logger.warning("The %s stopped (exit %s); starting it again.", self.name, code)
            delay = 1.0 if time.monotonic() - started > 60 else min(delay * 2, 60.0)
            if self.stopping.wait(delay):
                return
            self.process = self.start()
            self.restarts += 1

    def stop(self) -> None:
        self.stopping.set()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.thread.join(timeout=5)


def serve(
    host: str, port: int, workers: int, announce: object = print, *, with_worker: bool = False
) -> None:
    """Serve the web application until interrupted (with a background worker if asked)."""
    from django.db import connections

    require_migrated()
    collect_static()
    # The checks above opened a connection; workers open their own, so none is inherited.
    connections.close_all()
    if callable(announce):
        announce(f"Coproduce is running at {url_for(host, port)} (press Ctrl+C to stop)")
    # The worker runs under a supervising process of its own (which starts it again when it
    # dies), so this process forks the web server's workers with no thread of its own running.
    background = start_supervised_worker() if with_worker else None
    try:
        run_server(host, port, workers)
    finally:
        if background is not None:
            background.terminate()
            try:
                background.wait(timeout=20)
            except subprocess.TimeoutExpired:
                background.kill()


def start_supervised_worker() -> subprocess.Popen[bytes]:
    """`python -m coproduce.site.server --supervise-worker`: a Supervisor of `coproduce worker`."""
    return subprocess.Popen(
        [sys.executable, "-m", "coproduce.site.server", "--supervise-worker"],
        env=os.environ.copy(),
        preexec_fn=stop_with_parent,  # only sets the death signal; safe before exec
    )


def supervise_worker() -> None:
    """Keep a background worker running until this process is asked to stop."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    stopping = threading.Event()
    for sign in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sign, lambda *_: stopping.set())
    keeper = Supervisor(start_worker, "background worker")
    stopping.wait()
    keeper.stop()


def run_server(host: str, port: int, workers: int) -> None:
    from granian.constants import Interfaces
    from granian.server import Server

    Server(
        "coproduce.site.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=2,
        websockets=False,
        log_access=False,
    ).serve()


if __name__ == "__main__" and sys.argv[1:] == ["--supervise-worker"]:
    supervise_worker()
