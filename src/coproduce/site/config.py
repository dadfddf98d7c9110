"""Read Coproduce's settings from the environment, checking each one at the edge.

Kept free of Django so that the CLI can report a bad setting in one sentence before Django
starts, and so the rules are easy to test.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import dj_database_url

from coproduce.core.errors import ConfigurationError

DEFAULT_DATA_DIR = "coproduce-data"
SQLITE_FILE = "coproduce.sqlite3"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - the name of the file, not a key
# Values that mean "nobody chose a key"; refused unless debugging.
PLACEHOLDER_SECRET_KEYS = {"", "change-me", "changeme", "secret", "placeholder", "insecure"}
SUPPORTED_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def upload_limit_bytes() -> int:
    """The largest upload (a story's recording, say), from COPRODUCE_UPLOAD_MAX_MB."""
    raw = (os.environ.get("COPRODUCE_UPLOAD_MAX_MB") or "").strip()
    if not raw:
        return 200 * 1024 * 1024
    if not raw.isdecimal() or int(raw) == 0:
        raise ConfigurationError(
            f"COPRODUCE_UPLOAD_MAX_MB={raw!r} is not a whole number of megabytes; set it to, "
            "say, 200."
        )
    return int(raw) * 1024 * 1024


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a yes/no value; set it to 1 or 0.")


def data_dir() -> Path:
    """The data directory from COPRODUCE_DATA_DIR, created if needed and checked writable."""
    path = Path(os.environ.get("COPRODUCE_DATA_DIR") or DEFAULT_DATA_DIR).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigurationError(
            f"The data directory {path} cannot be written to ({reason}); "
            "set COPRODUCE_DATA_DIR or --data-dir to a folder you can write to."
        ) from error
    return path


def redact_url(url: str) -> str:
    """The URL with any password replaced, safe to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def database(directory: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] from DATABASE_URL, or a SQLite file in the data directory."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return sqlite_database(directory / SQLITE_FILE)
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        raise ConfigurationError(
            f"DATABASE_URL {redact_url(url)!r} names the scheme {scheme or '(none)'!r}, which "
            "Coproduce cannot use; give a sqlite:///path or postgresql://user@host/name URL."
        )
    if scheme == "sqlite":
        path = urlsplit(url).path
        if not path or path == "/":
            raise ConfigurationError(
                "DATABASE_URL names SQLite but no file; write it as sqlite:////absolute/path.sqlite3."
            )
        return sqlite_database(Path(path))
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise ConfigurationError(
            f"DATABASE_URL {redact_url(url)!r} cannot be read ({error}); check its spelling."
        ) from error
    config.setdefault("OPTIONS", {})["connect_timeout"] = 5
    return config


def sqlite_database(path: Path) -> dict[str, Any]:
    """SQLite settings tuned for a web server: WAL, a busy timeout and immediate transactions."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep connections open between requests: opening one (and its PRAGMAs) costs more
        # than most requests.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # WAL lets readers carry on while one writer writes; NORMAL sync is safe with WAL.
            # NORMAL (the default) can lose the last transactions before a power cut, never
            # corrupt the file; FULL loses none, at some cost to writes (docs/deployment.md).
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={sqlite_sync()};",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Tests run on a real SQLite file beside the real one, never in memory.
        "TEST": {"NAME": str(path.with_name(path.stem + "-test.sqlite3"))},
    }


def secret_key(directory: Path, debug: bool) -> str:
    """SECRET_KEY from the environment, else a random key kept in the data directory."""
    value = os.environ.get("SECRET_KEY")
    if value is not None:
        if value.strip().lower() in PLACEHOLDER_SECRET_KEYS and not debug:
            raise ConfigurationError(
                "SECRET_KEY is a placeholder; set it to a long random value "
                "(or unset it and Coproduce keeps one in the data directory)."
            )
        return value
    key_file = directory / SECRET_KEY_FILE
    if not key_file.exists():
        # Written whole and private, then linked into place: of several processes starting at
        # once on a new data directory, the first to link wins and every one reads its key.
        directory.mkdir(parents=True, exist_ok=True)
        handle, draft = tempfile.mkstemp(dir=directory, prefix=".secret-key-")  # mode 0600
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(50))
            with contextlib.suppress(FileExistsError):
                os.link(draft, key_file)
        finally:
            os.unlink(draft)
    return key_file.read_text(encoding="utf-8").strip()


def sqlite_sync() -> str:
    """SQLite's synchronous setting from COPRODUCE_SQLITE_SYNC: NORMAL (default) or FULL."""
    raw = (os.environ.get("COPRODUCE_SQLITE_SYNC") or "NORMAL").strip().upper()
    if raw not in {"NORMAL", "FULL"}:
        raise ConfigurationError(
            f"COPRODUCE_SQLITE_SYNC={raw!r} is neither NORMAL nor FULL; FULL loses nothing to a"
            " power cut, NORMAL is faster."
        )
    return raw


def https_origins(hosts: list[str]) -> list[str]:
    """CSRF_TRUSTED_ORIGINS: COPRODUCE_TRUSTED_ORIGINS, or https:// each allowed host."""
    raw = os.environ.get("COPRODUCE_TRUSTED_ORIGINS")
    if raw is not None and raw.strip():
        origins = [o.strip() for o in raw.split(",") if o.strip()]
        wrong = [o for o in origins if not o.startswith(("https://", "http://"))]
        if wrong:
            raise ConfigurationError(
                f"COPRODUCE_TRUSTED_ORIGINS has {wrong[0]!r}, which is not an origin; write it"
                " as https://example.org."
            )
        return origins
    return [f"https://{h.lstrip('.')}" if not h.startswith(".") else f"https://*{h}" for h in hosts]


def hsts_seconds() -> int:
    """How long browsers keep to HTTPS (COPRODUCE_HSTS_SECONDS, default a year)."""
    raw = (os.environ.get("COPRODUCE_HSTS_SECONDS") or "31536000").strip()
    if not raw.isdecimal():
        raise ConfigurationError(
            f"COPRODUCE_HSTS_SECONDS={raw!r} is not a whole number of seconds; set it to,"
            " say, 31536000 (a year)."
        )
    return int(raw)


def whole_number(name: str, default: int) -> int:
    """A positive whole number from the environment, or its default."""
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or int(raw) == 0:
        raise ConfigurationError(
            f"{name}={raw!r} is not a positive whole number; set it to, say, {default}."
        )
    return int(raw)


def email(url: str | None = None) -> dict[str, Any]:
    """Django's e-mail settings from COPRODUCE_SMTP_URL (smtp://user:password@host:587, or
    smtps:// for TLS from the start) and COPRODUCE_MAIL_FROM; none when it is not set."""
    raw = (url if url is not None else os.environ.get("COPRODUCE_SMTP_URL") or "").strip()
    if not raw:
        return {}
    parts = urlsplit(raw)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ConfigurationError(
            f"COPRODUCE_SMTP_URL={redact_url(raw)!r} is not an SMTP address; write it as"
            " smtp://user:password@mail.example.org:587."
        )
    secure = parts.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if secure else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": secure,
        "EMAIL_USE_TLS": not secure,
        "DEFAULT_FROM_EMAIL": os.environ.get("COPRODUCE_MAIL_FROM")
        or f"coproduce@{parts.hostname}",
    }


def allowed_hosts() -> list[str]:
    """ALLOWED_HOSTS from a comma-separated list; the local machine by default."""
    raw = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
    return [host.strip() for host in raw.split(",") if host.strip()]
