"""Run Coproduce behind a production-grade HTTP server (Granian), never Django's runserver."""

from __future__ import annotations

import os

from coproduce.runtime import collect_static, require_migrated

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def url_for(host: str, port: int) -> str:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(host: str, port: int, workers: int, announce: object = print) -> None:
    """Serve the web application until interrupted."""
    from django.db import connections
    from granian.constants import Interfaces
    from granian.server import Server

    require_migrated()
    collect_static()
    # The checks above opened a connection; workers open their own, so none is inherited.
    connections.close_all()
    if callable(announce):
        announce(f"Coproduce is running at {url_for(host, port)} (press Ctrl+C to stop)")
    Server(
        "coproduce.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=2,
        websockets=False,
        log_access=False,
    ).serve()
