"""scripts/scale-out.sh: nginx in front of two web servers and two workers on one database. Votes
sent through nginx are all stored, the workers analyse them, and stopping the script stops
every process it started."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.processes import COPRODUCE, ROOT, django_in, need, run_cli
from tests.support.voting import a_vote, send, voting_study

pytestmark = pytest.mark.served

ANALYSED = """
from coproduce.conversations.models import OpinionAnalysis
print(";".join(OpinionAnalysis.objects.values_list("fingerprint", flat=True)))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def started_by(pid: int) -> list[str]:
    """The command lines of the processes in the script's process group."""
    listing = subprocess.run(
        ["ps", "-ww", "-o", "pgid=,args=", "-e"], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in listing.splitlines() if line.split(None, 1)[0] == str(pid)]


def test_two_servers_and_two_workers_behind_nginx(fresh_env: dict[str, str]) -> None:
    need(
        bool(shutil.which("nginx")) or os.path.exists("/usr/sbin/nginx"),
        "Debian's nginx is not installed (make system-packages-test)",
    )
    assert run_cli("migrate", env=fresh_env).returncode == 0
    code, signatures = voting_study(fresh_env, 50, 20)
    port = free_port()
    script = subprocess.Popen(
        [
            str(ROOT / "scripts" / "scale-out.sh"),
            "--servers",
            "2",
            "--workers",
            "2",
            "--port",
            str(port),
        ],
        env=dict(fresh_env, COPRODUCE=COPRODUCE),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert script.stdout is not None
        first = script.stdout.readline()
        if f"running at http://127.0.0.1:{port}/" not in first:
            script.wait(timeout=60)
            pytest.fail(first + script.stdout.read())
        running = started_by(script.pid)
        assert sum("serve --no-worker" in line for line in running) >= 2, running
        assert sum("coproduce worker" in line for line in running) == 2, running
        assert any("nginx: master" in line for line in running), running
        url = f"http://127.0.0.1:{port}/api/conversations/{code}/votes"
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(lambda n: send(url, a_vote(signatures, n, 20), f"n{n}"), range(300))
            )
        assert all(answers)
        deadline = time.monotonic() + 90
        while not (fingerprint := django_in(fresh_env, ANALYSED)).startswith("v300:"):
            assert time.monotonic() < deadline, f"no analysis of the 300 votes: {fingerprint!r}"
            time.sleep(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert page.status == 200
    finally:
        script.send_signal(signal.SIGTERM)
        script.wait(timeout=60)
    deadline = time.monotonic() + 20
    while started_by(script.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert started_by(script.pid) == []
