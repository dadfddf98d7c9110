"""The power-cut test: the server killed outright (SIGKILL) while votes arrive, restarted, and the
votes it did not acknowledge sent again with the same idempotency keys. Every acknowledged vote
is kept and none is stored twice. Runs on whichever database the suite runs on."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.processes import COPRODUCE, django_in, run_cli
from tests.support.voting import a_vote, send, voting_study

pytestmark = pytest.mark.served

PEOPLE, STATEMENTS, VOTES, KILL_AFTER = 300, 40, 2400, 600

STORED = """
import json
from coproduce.conversations.models import Vote
print(json.dumps(list(Vote.objects.values_list("idempotency_key", flat=True))))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [COPRODUCE, "serve", "--port", str(port), "--workers", "2", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, to kill it whole
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("coproduce serve did not start")


def test_a_killed_server_loses_no_acknowledged_vote_and_doubles_none(
    fresh_env: dict[str, str], tmp_path: Path
) -> None:
    assert run_cli("migrate", env=fresh_env).returncode == 0
    code, signatures = voting_study(fresh_env, PEOPLE, STATEMENTS)
    votes = {f"k{n}": a_vote(signatures, n, STATEMENTS) for n in range(VOTES)}
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/conversations/{code}/votes"
    server = start(fresh_env, port)
    acknowledged: set[str] = set()
    lock = threading.Lock()

    def one(key: str) -> None:
        if send(url, votes[key], key):
            with lock:
                acknowledged.add(key)
                if len(acknowledged) == KILL_AFTER:
                    os.killpg(server.pid, signal.SIGKILL)

    try:
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(one, votes))
        server.wait(timeout=30)
        assert KILL_AFTER <= len(acknowledged) < VOTES  # killed mid-load
        server = start(fresh_env, port)
        # The sender retries what was not acknowledged, and some of what was, with the same keys.
        retries = [k for k in votes if k not in acknowledged] + sorted(acknowledged)[:200]
        with ThreadPoolExecutor(16) as pool:
            answered = list(pool.map(lambda k: send(url, votes[k], k), retries))
        assert all(answered)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    stored = json.loads(django_in(fresh_env, STORED))
    assert len(stored) == len(set(stored)) == VOTES  # none doubled, none lost
    assert acknowledged <= set(stored)
