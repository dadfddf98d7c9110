"""The background worker is supervised: when it dies, `serve` starts it again (issue 20)."""

from __future__ import annotations

import subprocess
import sys
import time

from coproduce.site.server import Supervisor


def test_a_process_that_dies_is_started_again_and_stops_with_the_supervisor() -> None:
    started: list[subprocess.Popen[bytes]] = []

    def dies_at_once() -> subprocess.Popen[bytes]:
        started.append(subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]))
        return started[-1]

    keeper = Supervisor(dies_at_once, "test process")
    deadline = time.monotonic() + 15
    while keeper.restarts < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert keeper.restarts >= 2
    keeper.stop()
    count = len(started)
    time.sleep(1.5)
    assert len(started) == count  # stopped means no more restarts
    assert all(p.poll() is not None for p in started)


def test_a_long_running_process_is_stopped_cleanly() -> None:
    def sleeps() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])

    keeper = Supervisor(sleeps, "sleeper")
    time.sleep(0.5)
    assert keeper.process.poll() is None and keeper.restarts == 0
    keeper.stop()
    assert keeper.process.poll() is not None and keeper.restarts == 0
