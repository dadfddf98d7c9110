"""Settings come from the environment and bad ones are refused in one sentence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coproduce.core.errors import ConfigurationError
from coproduce.site import config


def test_default_database_is_a_sqlite_file_in_wal_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = config.database(tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "coproduce.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5
    assert db["TEST"]["NAME"].endswith(".sqlite3")


def test_postgres_url_is_parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://ann:pw@db.example:5433/coproduce")
    db = config.database(tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.example",
        5433,
        "coproduce",
        "ann",
    )


@pytest.mark.parametrize("url", ["mysql://x/y", "oracle://a", "nonsense"])
def test_unknown_database_scheme_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigurationError, match=r"DATABASE_URL .* cannot use"):
        config.database(tmp_path)


def test_password_never_shown_in_messages() -> None:
    assert config.redact_url("postgresql://ann:s3cret@h/db") == "postgresql://ann:***@h/db"
    assert config.redact_url("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


def test_unwritable_data_directory_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COPRODUCE_DATA_DIR", str(blocker / "data"))
    with pytest.raises(ConfigurationError, match="cannot be written to"):
        config.data_dir()


def test_data_directory_is_created(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COPRODUCE_DATA_DIR", str(tmp_path / "new" / "data"))
    assert config.data_dir() == tmp_path / "new" / "data"
    assert (tmp_path / "new" / "data").is_dir()


def test_placeholder_secret_key_refused_outside_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "change-me")
    with pytest.raises(ConfigurationError, match="placeholder"):
        config.secret_key(tmp_path, debug=False)
    assert config.secret_key(tmp_path, debug=True) == "change-me"


def test_secret_key_is_generated_once_and_kept_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path, debug=False)
    assert len(first) >= 50
    assert config.secret_key(tmp_path, debug=False) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_yes_no_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPRODUCE_DEBUG", "yes")
    assert config.env_flag("COPRODUCE_DEBUG") is True
    monkeypatch.setenv("COPRODUCE_DEBUG", "perhaps")
    with pytest.raises(ConfigurationError, match="not a yes/no value"):
        config.env_flag("COPRODUCE_DEBUG")


def test_allowed_hosts_from_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", "coproduce.example.org, www.coproduce.example.org,")
    assert config.allowed_hosts() == ["coproduce.example.org", "www.coproduce.example.org"]


def test_upload_limit_is_configurable_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from coproduce.site.config import upload_limit_bytes

    monkeypatch.delenv("COPRODUCE_UPLOAD_MAX_MB", raising=False)
    assert upload_limit_bytes() == 200 * 1024 * 1024
    monkeypatch.setenv("COPRODUCE_UPLOAD_MAX_MB", "5")
    assert upload_limit_bytes() == 5 * 1024 * 1024
    for bad in ("lots", "0", "-3", "1.5"):
        monkeypatch.setenv("COPRODUCE_UPLOAD_MAX_MB", bad)
        with pytest.raises(ConfigurationError, match="COPRODUCE_UPLOAD_MAX_MB"):
            upload_limit_bytes()


def test_processes_starting_at_once_share_one_secret_key(tmp_path: Path) -> None:
    """Several servers started together on a new data directory: one key, read whole by all."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    script = (
        "import sys; from pathlib import Path; from coproduce.site import config; "
        "print(config.secret_key(Path(sys.argv[1]), debug=False))"
    )
    for attempt in range(3):
        folder = tmp_path / f"data-{attempt}"
        starting = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(folder)],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        keys = {process.communicate(timeout=60)[0].strip() for process in starting}
        assert len(keys) == 1 and len(keys.pop()) >= 50
        assert [p.name for p in folder.iterdir()] == ["secret_key"]
