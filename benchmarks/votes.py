"""Vote ingestion over HTTP: wrk, 64 connections, against `coproduce serve` on loopback.

Prints acknowledged votes per second, latency percentiles, and checks that the votes in the
database equal the votes acknowledged (none lost, none doubled). Also prints the weight of the
participant voting page.

    .venv/bin/python benchmarks/votes.py                      # SQLite in a fresh data directory
    scripts/with-postgres.sh .venv/bin/python benchmarks/votes.py   # PostgreSQL
Options: --seconds 20 --connections 64 --workers 2 --participants 5000 --statements 200
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
COPRODUCE = str(Path(sys.executable).with_name("coproduce"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(env: dict[str, str], participants: int, statements: int, signatures: Path) -> str:
    """A study with one conversation, its statements, and participants who joined by xid; the
    embedding site's signature of each xid is written to `signatures`, one a line."""
    script = f"""
import django
django.setup()
from coproduce.accounts.models import User
from coproduce.conversations import services
from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.studies import services as studies
from coproduce.studies.models import Consent, Participant
owner = User.objects.create_user("bench@example.org", "x" * 20)
study = studies.create_study(owner, "Benchmark", slug="bench")
conversation = services.create_conversation(study, owner, "Benchmark question?")
services.add_statements(conversation, [
    services.NewStatement(text=f"Statement number {{i}}", is_seed=True, written_by=owner)
    for i in range({statements})
])
names = studies.new_pseudonyms(study, {participants})
people = Participant.objects.bulk_create(
    Participant(study=study, pseudonym=n, xid=f"bench-{{i}}") for i, n in enumerate(names)
)
text = studies.current_consent_text(study)
Consent.objects.bulk_create(
    Consent(participant=p, consent_text=text, level=ConsentLevel.PUBLISH) for p in people
)
from coproduce.conversations.embedding import sign_xid
with open({str(signatures)!r}, "w") as out:
    out.writelines(sign_xid(conversation, f"bench-{{i}}") + "\\n" for i in range({participants}))
print(conversation.code)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def count_votes(env: dict[str, str]) -> tuple[int, bool]:
    """Votes stored, and whether every voter got one number, the numbers running 0, 1, 2, ..."""
    script = """
import django
django.setup()
from django.db.models import Count, Max
from coproduce.conversations.models import ConversationParticipant, Vote
voters = Vote.objects.values("participant").distinct().count()
numbers = ConversationParticipant.objects.aggregate(
    n=Count("id"), top=Max("number"), d=Count("number", distinct=True)
)
dense = numbers["n"] == numbers["d"] == voters == (numbers["top"] or 0) + 1
print(Vote.objects.count(), dense)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    stored, dense = out.stdout.strip().splitlines()[-1].split()
    return int(stored), dense == "True"


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def page_weight(base: str, code: str) -> int:
    """Bytes transferred (gzip, as a browser asks) for the voting page and its stylesheet."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    opener.addheaders = [("Accept-Encoding", "gzip")]
    start = opener.open(f"{base}/c/{code}/").read()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', gzip_maybe(start))
    data = (
        f"csrfmiddlewaretoken={token.group(1).decode()}&level=2&agree=on".encode() if token else b""
    )
    join = urllib.request.Request(  # noqa: S310 - loopback only
        f"{base}/c/{code}/", data=data, headers={"Referer": f"{base}/c/{code}/"}
    )
    opener.open(join)
    response = opener.open(f"{base}/c/{code}/vote/")
    html = response.read()
    total = len(html)
    css = re.search(rb'href="(/static/[^"]+\.css)"', gzip_maybe(html))
    if css:
        total += len(opener.open(base + css.group(1).decode()).read())
    return total


def gzip_maybe(raw: bytes) -> bytes:
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def hammer(
    url: str, args: argparse.Namespace, signatures: Path, prefix: str = "t"
) -> dict[str, str]:
    """wrk sending new votes to `url` for args.seconds over args.connections, with idempotency
    keys starting `prefix`; its figures (ACKED, FAILED, P50_MS, P90_MS, P99_MS)."""
    run = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(args.connections),
            "-d",
            f"{args.seconds}s",
            "--latency",
            "-s",
            str(HERE / "votes.lua"),
            url,
            "--",
            str(args.participants),
            str(args.statements),
            str(signatures),
            prefix,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(re.findall(r"^(ACKED|FAILED|P50_MS|P90_MS|P99_MS) (\S+)$", run.stdout, re.M))


def fresh_site(prefix: str) -> tuple[Path, dict[str, str], str]:
    """A new data directory, migrated, for a load test with wrk: the folder, the environment
    for Coproduce's commands, and the database's name (DATABASE_URL's, else SQLite)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    env = dict(
        os.environ,
        COPRODUCE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="coproduce.site.settings",
        COPRODUCE=COPRODUCE,
    )
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    subprocess.run([COPRODUCE, "migrate"], env=env, check=True, capture_output=True)
    return data_dir, env, database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--statements", type=int, default=200)
    args = parser.parse_args()
    data_dir, env, database = fresh_site("coproduce-bench-")
    signatures = data_dir / "signatures.txt"
    code = prepare(env, args.participants, args.statements, signatures)
    port = free_port()
    server = subprocess.Popen(
        [COPRODUCE, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/conversations/{code}")
        figures = hammer(f"{base}/api/conversations/{code}/votes", args, signatures)
        weight = page_weight(base, code)
    finally:
        server.terminate()
        server.wait(timeout=30)
    acked, failed = int(figures["ACKED"]), int(figures["FAILED"])
    stored, dense = count_votes(env)
    rate = acked / args.seconds
    in_flight = stored - acked
    print(
        f"database: {database}; {args.workers} server workers; "
        f"wrk {args.connections} connections for {args.seconds} s"
    )
    print(f"acknowledged votes: {acked} ({rate:,.0f} votes/s); failed requests: {failed}")
    print(
        f"latency p50 {figures['P50_MS']} ms, p90 {figures['P90_MS']} ms, "
        f"p99 {figures['P99_MS']} ms"
    )
    # wrk stops without reading the answers to requests still in flight, so up to one vote per
    # connection may be stored but not counted as acknowledged; more, or fewer, is an error.
    verdict = "ok" if 0 <= in_flight <= args.connections else "LOST OR DOUBLED VOTES"
    print(
        f"votes in the database: {stored} = acknowledged + {in_flight} in flight at the stop "
        f"({verdict}); idempotency keys are unique by constraint"
    )
    print(
        "participant numbers: "
        + ("one per voter, 0 to n-1 with no gaps (ok)" if dense else "GAPS OR DUPLICATES")
    )
    print(f"voting page weight (HTML + CSS, gzip): {weight / 1024:.1f} KB")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
