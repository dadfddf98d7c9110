"""Running Coproduce as a person would: the installed command, a served site, a throwaway
database for a command that starts from nothing; and where the shared material lies."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("COPRODUCE_SHARED", ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
COPRODUCE = str(Path(sys.executable).with_name("coproduce"))


def need(condition: bool, reason: str) -> None:
    """Skip a test whose dependency is missing; in CI a missing dependency fails instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def empty_database_env(data_dir: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COPRODUCE_DATA_DIR"] = str(data_dir)
    url = postgres_url()
    if url is None:
        yield env
        return
    import psycopg

    name = f"cli_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    yield env
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_cli(
    *args: str, env: dict[str, str], input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed `coproduce` command as a person would."""
    return subprocess.run(
        [COPRODUCE, *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def database_url_of(settings_dict: dict[str, object]) -> str:
    """A DATABASE_URL for the database these Django settings point at."""
    if str(settings_dict["ENGINE"]).endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
    return f"postgresql://{user}@{host}:{port}/{settings_dict['NAME']}"


@contextlib.contextmanager
def serving(*options: str) -> Iterator[str]:
    """Run `coproduce serve` on the test database with the options given; yields its URL."""
    import socket
    import time
    import urllib.request

    from django.db import connection

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = dict(os.environ, DATABASE_URL=database_url_of(connection.settings_dict))
    process = subprocess.Popen(
        [COPRODUCE, "serve", "--port", str(port), "--workers", "1", *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):  # noqa: S310 - loopback only
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"coproduce serve did not start: {process.communicate()[0]}")
            time.sleep(0.3)
    try:
        yield url
    finally:
        process.terminate()
        process.communicate(timeout=30)


def one_sentence_error(result: object, *fragments: str) -> None:
    """The command failed with one sentence on standard error holding each fragment."""
    assert result.returncode != 0  # type: ignore[attr-defined]
    err: str = result.stderr.strip()  # type: ignore[attr-defined]
    assert err.startswith("Error: ") and "\n" not in err and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err


def django_in(env: dict[str, str], script: str, timeout: float = 300) -> str:
    """Run Python with Django set up against `env`'s database; its last line of output."""
    result = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + script],
        env=dict(env, DJANGO_SETTINGS_MODULE="coproduce.site.settings"),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
