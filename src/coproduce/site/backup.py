"""Backups of the whole database while the site runs, and restoring one.

SQLite: SQLite's own online backup (consistent even while people vote), written to a new file
whole or not at all. PostgreSQL: pg_dump's custom format, restored with pg_restore. Uploaded
files (recordings, logos) live under the data directory's files/ folder: copy it beside the
backup (docs/deployment.md shows an hourly job doing both).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection

from coproduce.core.errors import ConfigurationError, InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def backup(out: Path) -> str:
    """Write a backup of the database to `out`; what was written, in a sentence."""
    out = out.expanduser().resolve()
    if out.exists() and out.is_dir():
        raise InvalidInput(f"{out} is a folder; give the backup's file name.")
    out.parent.mkdir(parents=True, exist_ok=True)
    settings = connection.settings_dict
    fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=".backup-")
    os.close(fd)
    try:
        if connection.vendor == "sqlite":
            source = sqlite3.connect(str(settings["NAME"]))
            target = sqlite3.connect(temporary)
            with target:
                source.backup(target)
            source.close()
            target.close()
        elif connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", f"--file={temporary}", _dsn(settings)])
        else:
            raise ConfigurationError(
                f"Backups of a {connection.vendor} database are not supported."
            )
        os.replace(temporary, out)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return f"Backed up the {connection.vendor} database to {out} ({out.stat().st_size:,} bytes)."


def restore(source: Path) -> str:
    """Replace the database's contents with a backup's. Stop the servers and workers first."""
    source = source.expanduser().resolve()
    if not source.is_file():
        raise InvalidInput(f"There is no backup file at {source}; check the path.")
    head = source.read_bytes()[:16]
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise InvalidInput(
                f"{source} is not a SQLite backup made by `coproduce backup`; give that file."
            )
        _check_sqlite(source)
        connection.close()
        target = Path(str(settings["NAME"]))
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
        os.close(fd)
        shutil.copyfile(source, temporary)
        for suffix in ("-wal", "-shm"):  # the old write-ahead log must not replay over it
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, target)
    elif connection.vendor == "postgresql":
        if not head.startswith(PGDUMP_MAGIC):
            raise InvalidInput(
                f"{source} is not a PostgreSQL backup made by `coproduce backup`; give that file."
            )
        connection.close()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={_dsn(settings)}", str(source)]
        )  # fmt: skip
    else:
        raise ConfigurationError(f"Restoring a {connection.vendor} database is not supported.")
    return f"Restored the database from {source}; run `coproduce migrate` if it is older."


def _check_sqlite(path: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = db.execute("PRAGMA integrity_check").fetchone()[0]
            has = db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"{path} is damaged ({error}); use another backup.") from None
    if ok != "ok" or has is None:
        raise InvalidInput(f"{path} is not a whole Coproduce database; use another backup.")


def _dsn(settings: dict[str, object]) -> str:
    parts = {
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
        "dbname": settings.get("NAME"),
        "user": settings.get("USER"),
        "password": settings.get("PASSWORD"),
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise ConfigurationError(
            f"{command[0]} is not installed; install PostgreSQL's client programs"
            " (Debian: apt install postgresql-client)."
        )
    done = subprocess.run([tool, *command[1:]], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ConfigurationError(f"{command[0]} failed: {last}")
