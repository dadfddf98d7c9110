"""Starting Coproduce outside a web request: Django set-up, database checks, migrations."""

from __future__ import annotations

import fcntl
import hashlib
import os
from io import StringIO
from pathlib import Path

from coproduce.core.errors import ConfigurationError
from coproduce.core.files import write_atomically
from coproduce.site.config import redact_url


def start(data_dir: Path | None = None) -> None:
    """Point Coproduce at a data directory and start Django (settings are checked here)."""
    if data_dir is not None:
        os.environ["COPRODUCE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.site.settings")
    import django

    django.setup()


def check_database() -> None:
    """Connect once, so a wrong or unreachable DATABASE_URL is reported in one sentence."""
    from django.db import connection
    from django.db.utils import Error as DatabaseError

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        where = redact_url(os.environ.get("DATABASE_URL", "")) or connection.settings_dict["NAME"]
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigurationError(
            f"Could not connect to the database {where} ({reason}); "
            "check DATABASE_URL and that the database server is running."
        ) from None


def pending_migrations() -> list[str]:
    """The migrations not yet applied to the database."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def migrate() -> list[str]:
    """Bring the database schema up to date; returns the migrations applied."""
    from django.core.management import call_command

    check_database()
    pending = pending_migrations()
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return pending


def prepare() -> list[str]:
    """Make the database ready for a command that changes data: a fresh SQLite database is set
    up on the spot (returns the migrations applied); a PostgreSQL database shared by several
    servers is never changed unasked, so it says in one sentence to run `coproduce migrate`."""
    from django.core.management import call_command
    from django.db import connection

    check_database()
    pending = pending_migrations()
    if pending and connection.vendor != "sqlite":
        raise ConfigurationError(
            "The PostgreSQL database is not up to date with this version of Coproduce; run "
            "`coproduce migrate` once, before any other command (Coproduce does not change a "
            "shared database's tables unasked)."
        )
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return pending


def require_migrated() -> None:
    """Stop with a clear message when the database has not been migrated yet."""
    check_database()
    if pending_migrations():
        raise ConfigurationError(
            "The database is not up to date with this version of Coproduce; "
            "run `coproduce migrate` first."
        )


def collect_static() -> None:
    """Copy the static files where the web server serves them from. Several servers started at
    once on one data directory take turns (a lock file beside the folder): collecting at the
    same moment, one removes the other's half-written files."""
    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    stamp = root.parent / "static.collected"
    with (root.parent / "static.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process ends
        # Collected already from the same files: collecting again would rewrite files that a
        # server started a moment ago is reading.
        wanted = _static_sources()
        if root.is_dir() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
            return
        # ReDoc is not used (the API documentation is Swagger UI's): leaving it out, and not
        # compressing source maps, keeps starting the server quick.
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            stdout=StringIO(),
            ignore_patterns=[*IGNORED_STATIC],
        )
        write_atomically(stamp, wanted)


IGNORED_STATIC = ("redoc.standalone.js*",)


def _static_sources() -> str:
    """A fingerprint of the static files to collect: each one's name, size and time."""
    from django.contrib.staticfiles import finders

    seen = hashlib.sha256()
    for finder in finders.get_finders():
        for name, storage in sorted(finder.list(list(IGNORED_STATIC)), key=lambda f: f[0]):
            found = os.stat(storage.path(name))
            seen.update(f"{name}\0{found.st_size}\0{found.st_mtime_ns}\n".encode())
    return seen.hexdigest()
