"""Coproduce's own checks before going live, beside Django's `check --deploy`: each problem is
one sentence saying what to set."""

from __future__ import annotations

import stat
from pathlib import Path

from django.conf import settings

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def problems(*, deploy: bool) -> list[str]:
    """What would make this installation unsafe or fragile on the open internet."""
    found = []
    key_file = Path(settings.DATA_DIR) / "secret_key"
    if key_file.exists() and key_file.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        found.append(f"{key_file} can be read by other users of this machine; run chmod 600 on it.")
    if not deploy:
        return found
    if settings.DEBUG:
        found.append("COPRODUCE_DEBUG is on: it shows code and settings to anyone; set it to 0.")
    if not getattr(settings, "HTTPS", False):
        found.append(
            "COPRODUCE_HTTPS is off: passwords and personal data would cross the network in the"
            " clear; serve over HTTPS (a TLS proxy such as nginx) and set COPRODUCE_HTTPS=1."
        )
    if set(settings.ALLOWED_HOSTS) <= LOCAL_HOSTS:
        found.append(
            "ALLOWED_HOSTS names only this machine; set it to the site's host name (for example"
            " ALLOWED_HOSTS=consult.example.org)."
        )
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3") and "synchronous=NORMAL" in str(
        settings.DATABASES["default"].get("OPTIONS", {}).get("init_command", "")
    ):
        found.append(
            "SQLite runs with synchronous=NORMAL: a power cut can lose the last moments of"
            " votes (never corrupt the file); set COPRODUCE_SQLITE_SYNC=FULL to lose none, or"
            " use PostgreSQL."
        )
    return found
