"""Run Coproduce behind a production-grade HTTP server (Granian), never Django's runserver."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from coproduce.site.runtime import collect_static, require_migrated

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


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
    background = start_worker() if with_worker else None
    try:
        run_server(host, port, workers)
    finally:
        if background is not None:
            background.terminate()
            try:
                background.wait(timeout=10)
            except subprocess.TimeoutExpired:
                background.kill()


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
