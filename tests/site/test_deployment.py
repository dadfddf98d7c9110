"""Deployment defaults (issue 20): behind a TLS proxy forms pass CSRF, HTTP is redirected with
HSTS, every page has a Content Security Policy without inline script, pages with personal data
are never cached, the API documentation needs no CDN, and `coproduce check --deploy` says what
to set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from coproduce.site.web import CONTENT_SECURITY_POLICY
from coproduce.studies.models import Role
from tests.support.factories import PASSWORD, study_with_team
from tests.support.processes import COPRODUCE

pytestmark = pytest.mark.django_db
PROXY_ENV = {
    "COPRODUCE_HTTPS": "1",
    "COPRODUCE_BEHIND_PROXY": "1",
    "ALLOWED_HOSTS": "consult.example.org",
    "COPRODUCE_SQLITE_SYNC": "FULL",
}


def settings_under(env: dict[str, str], data_dir: Path) -> dict[str, object]:
    """Coproduce's settings as a process started with this environment reads them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ('SECURE_PROXY_SSL_HEADER',"
        " 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'CSRF_TRUSTED_ORIGINS',"
        " 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            **env,
            "COPRODUCE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "coproduce.site.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def test_the_proxy_settings_follow_the_environment(tmp_path: Path) -> None:
    found = settings_under(PROXY_ENV, tmp_path)
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] == 31536000
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://consult.example.org"]
    assert found["SESSION_COOKIE_SECURE"] is True and found["CSRF_COOKIE_SECURE"] is True
    plain = settings_under({}, tmp_path)
    assert plain["SECURE_SSL_REDIRECT"] is False and plain["SESSION_COOKIE_SECURE"] is False


def test_a_form_behind_the_tls_proxy_passes_csrf_and_http_is_redirected(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["consult.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.CSRF_TRUSTED_ORIGINS = ["https://consult.example.org"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    _study, team = study_with_team("behind-proxy")
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="consult.example.org")
    proxied = {"HTTP_X_FORWARDED_PROTO": "https", "secure": False}
    plain = browser.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://consult.example.org/")
    page = browser.get("/accounts/login/", **proxied)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    token = page.cookies["csrftoken"].value
    signed_in = browser.post(
        "/accounts/login/",
        {"username": team[Role.OWNER].email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://consult.example.org",
        HTTP_REFERER="https://consult.example.org/accounts/login/",
        **proxied,
    )
    assert signed_in.status_code == 302, signed_in.content[:300]
    forged = Client(enforce_csrf_checks=True, HTTP_HOST="consult.example.org").post(
        "/accounts/login/",
        {"username": team[Role.OWNER].email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example.net",
        **proxied,
    )
    assert forged.status_code == 403


def test_every_page_has_the_policy_and_personal_pages_are_not_cached() -> None:
    study, team = study_with_team("headers")
    owner = Client()
    owner.force_login(team[Role.OWNER])
    for path in (f"/studies/{study.slug}/", f"/studies/{study.slug}/participants/", "/"):
        answer = owner.get(path)
        assert answer["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert answer["Cache-Control"] == "no-store"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]
    docs = Client().get("/api/docs")
    page = docs.content.decode()
    assert docs.status_code == 200 and "cdn" not in page.lower() and "/static/ninja/" in page


def test_check_deploy_names_what_to_set(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "COPRODUCE_DATA_DIR": str(tmp_path),
    }
    unready = subprocess.run(
        [COPRODUCE, "check", "--deploy"], env=env, capture_output=True, text=True, check=False
    )
    assert unready.returncode == 1
    for words in ("COPRODUCE_HTTPS", "ALLOWED_HOSTS", "COPRODUCE_SQLITE_SYNC=FULL", "W004"):
        assert words in unready.stdout, unready.stdout
    ready = subprocess.run(
        [COPRODUCE, "check", "--deploy"],
        env={**env, **PROXY_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ready.returncode == 0, ready.stdout + ready.stderr
    assert "No problems found." in ready.stdout


def test_wrong_passwords_lock_the_account_and_the_address_with_429() -> None:
    _study, team = study_with_team("lockout")
    owner = team[Role.OWNER]
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(9):
        wrong = attacker.post("/accounts/login/", {"username": owner.email, "password": "nope"})
        assert wrong.status_code == 200  # the form again, with its error
    tenth = attacker.post("/accounts/login/", {"username": owner.email, "password": "nope"})
    assert tenth.status_code == 429  # the tenth failure locks
    locked = attacker.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # The account is locked from anywhere; another account from that address too.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        elsewhere.post(
            "/accounts/login/", {"username": owner.email, "password": PASSWORD}
        ).status_code
        == 429
    )
    other = team[Role.RESEARCHER]
    assert (
        attacker.post(
            "/accounts/login/", {"username": other.email, "password": PASSWORD}
        ).status_code
        == 429
    )
    # Someone else, elsewhere, signs in as usual.
    fine = Client(REMOTE_ADDR="192.0.2.44")
    assert (
        fine.post("/accounts/login/", {"username": other.email, "password": PASSWORD}).status_code
        == 302
    )


def test_the_status_page_says_when_background_work_is_stalled() -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from coproduce.accounts.models import User
    from coproduce.conversations.tasks import refresh_opinion
    from tests.support.factories import two_camps

    conversation, _team, _people = two_camps()
    refresh_opinion.enqueue(conversation.pk)  # as the debounced request queues it
    assert DBTaskResult.objects.exists()
    admin = User.objects.create_superuser("admin@example.org", PASSWORD)
    page = Client()
    page.force_login(admin)
    fresh = page.get("/status/")
    assert fresh.status_code == 200 and "waiting" in fresh.content.decode()
    long_ago = timezone.now() - timedelta(minutes=30)
    DBTaskResult.objects.update(enqueued_at=long_ago, run_after=long_ago)
    stalled = page.get("/status/")
    assert stalled.status_code == 503
    assert "Background work is stalled" in stalled.content.decode()
    team_member = Client()
    team_member.force_login(_team[Role.OWNER])
    assert team_member.get("/status/").status_code == 403


def test_the_smtp_setting_is_read_and_checked() -> None:
    from coproduce.core.errors import ConfigurationError
    from coproduce.site import config

    found = config.email("smtp://mailer:p%40ss@mail.example.org:2525")
    assert found["EMAIL_HOST"] == "mail.example.org" and found["EMAIL_PORT"] == 2525
    assert found["EMAIL_HOST_PASSWORD"] == "p@ss" and found["EMAIL_USE_TLS"] is True
    assert config.email("smtps://mail.example.org")["EMAIL_USE_SSL"] is True
    assert config.email("") == {}
    with pytest.raises(ConfigurationError, match="not an SMTP address"):
        config.email("http://mail.example.org")


def test_a_password_reset_by_email_works_once(settings, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    import re

    settings.PASSWORD_RESET_BY_EMAIL = True
    _study, team = study_with_team("reset-mail")
    owner = team[Role.OWNER]
    browser = Client()
    sent = browser.post("/accounts/password-reset/", {"email": owner.email})
    assert sent.status_code == 302 and len(mailoutbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)  # type: ignore[union-attr]
    form = browser.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    chosen = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert chosen.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-brand-new-passphrase")
    again = Client().get(link, follow=True)
    assert "This link no longer works" in again.content.decode()
    # An unknown address is told the same, and nothing is sent.
    assert Client().post("/accounts/password-reset/", {"email": "nobody@x.org"}).status_code == 302
    assert len(mailoutbox) == 1


def test_without_email_the_administrator_makes_a_one_time_link(tmp_path: Path) -> None:
    from tests.support.processes import empty_database_env, run_cli

    for env in empty_database_env(tmp_path):
        assert run_cli("migrate", env=env).returncode == 0
        run_cli("create-study", "Buses", "--owner", "sam@example.org", env=env)
        made = run_cli("reset-link", "sam@example.org", env=env)
        assert made.returncode == 0, made.stderr
        assert "/accounts/reset/" in made.stdout
        unknown = run_cli("reset-link", "nobody@example.org", env=env)
        assert unknown.returncode != 0 and "No active account" in unknown.stderr
    page = Client().get("/accounts/password-reset/")
    assert "Ask its administrator for a one-time link" in page.content.decode()
