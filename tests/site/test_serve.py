"""`coproduce serve` runs a real HTTP server that answers on the printed address."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import COPRODUCE, run_cli

pytestmark = pytest.mark.served


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped: {process.stdout.read() if process.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                return bytes(response.read())
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"no answer from {url} within {seconds} s")


def test_serve_answers_on_the_printed_url(fresh_env: dict[str, str]) -> None:
    assert run_cli("migrate", env=fresh_env).returncode == 0
    port = free_port()
    process = subprocess.Popen(
        [COPRODUCE, "serve", "--port", str(port), "--workers", "1"],
        env=fresh_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://localhost:{port}/"
        page = wait_for(url, process)
        assert b"Coproduce" in page
        css_link = page.split(b'href="/static/coproduce/site.')[1].split(b'"')[0]
        css = wait_for(f"{url}static/coproduce/site.{css_link.decode()}", process)
        assert b"--focus" in css
    finally:
        process.terminate()
        # Stopping may take serve's whole budget: up to 20 s for its background worker to stop
        # (server.serve), then the web server's own shutdown; on a busy machine, all of it.
        output, _ = process.communicate(timeout=60)
    assert f"Coproduce is running at http://localhost:{port}/" in output


def test_serve_refuses_a_placeholder_secret_key(fresh_env: dict[str, str]) -> None:
    result = run_cli("serve", env=dict(fresh_env, SECRET_KEY="change-me"))
    assert result.returncode == 1 and "SECRET_KEY is a placeholder" in result.stderr


def test_serve_refuses_an_unmigrated_database(fresh_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("serve", "--port", str(free_port()), env=fresh_env)
    assert result.returncode == 1 and "coproduce migrate" in result.stderr


def test_the_background_worker_ends_with_the_server_however_it_ends(
    fresh_env: dict[str, str],
) -> None:
    """Even when the server is killed outright (no clean-up runs), its worker does not linger."""
    import signal

    assert run_cli("migrate", env=fresh_env).returncode == 0
    port = free_port()
    process = subprocess.Popen(
        [COPRODUCE, "serve", "--port", str(port), "--workers", "1"],
        env=fresh_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://localhost:{port}/", process)
        children = subprocess.run(
            ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.splitlines()
        # serve -> the worker's supervisor -> the worker
        supervisors = [int(line.split()[0]) for line in children if "--supervise-worker" in line]
        assert len(supervisors) == 1, children
        deadline = time.monotonic() + 20
        workers: list[int] = []
        while not workers and time.monotonic() < deadline:
            below = subprocess.run(
                ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(supervisors[0])],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.splitlines()
            workers = [int(line.split()[0]) for line in below if "coproduce worker" in line]
            time.sleep(0.2)
        assert len(workers) == 1
        workers.append(supervisors[0])
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    # The orphaned worker gets SIGTERM from the kernel and exits (its new parent reaps it).
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        assert not any(alive(pid) for pid in workers)
    finally:
        # Granian's own web worker processes are orphaned by the SIGKILL too: end them here.
        for line in children:
            pid = int(line.split()[0])
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
