"""The `coproduce` command: parse the arguments, call the library, print the result.

Every command is a thin call into library code. Problems are reported once, here, as one
sentence on standard error with a non-zero exit code.
"""

from __future__ import annotations

import contextlib
import getpass
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from django.core.exceptions import PermissionDenied

from coproduce import __version__
from coproduce.core.errors import CoproduceError

DATA_DIR_HELP = (
    "Folder for the database, uploads and outputs "
    "(default: $COPRODUCE_DATA_DIR or ./coproduce-data)."
)


# `coproduce --help` lists the commands by task, in this order.
TASKS = {
    "Run Coproduce": ("serve", "worker", "migrate", "check", "status", "demo", "createsuperuser"),
    "Studies and their teams": (
        "create-study",
        "list-studies",
        "add-member",
        "set-password",
        "reset-link",
    ),
    "Conversations": ("create-conversation", "list-conversations", "seed-statements"),
    "Move a study's data in and out": ("import", "export", "export-study", "import-study"),
    "Who was heard": ("equity",),
    "Publish": ("publish",),
    "Look after people's data": ("purge", "backup", "restore"),
    "Analyse files without a study": ("analyse", "themes"),
}


class CoproduceGroup(click.Group):
    """Translates Coproduce's errors into one sentence and exit code 1; lists commands by task."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if ctx.parent is not None:  # a subgroup (import, export, analyse) lists plainly
            return super().format_commands(ctx, formatter)
        listed = {name for names in TASKS.values() for name in names}
        others = tuple(sorted(set(self.list_commands(ctx)) - listed))
        limit = formatter.width - 6 - max(len(name) for name in self.commands)
        for task, names in (*TASKS.items(), ("Other", others)):
            rows = [
                (name, self.commands[name].get_short_help_str(limit))
                for name in names
                if name in self.commands and not self.commands[name].hidden
            ]
            if rows:
                with formatter.section(task):
                    formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoproduceError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(1)
        except PermissionDenied as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(1)


def read_password(from_stdin: bool) -> str:
    """A password from standard input (for scripts), or typed twice without showing it."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != password:
        raise click.ClickException("The two passwords differ; run the command again.")
    return password


def start(ctx: click.Context, *, migrated: bool = True, changes: bool = False) -> None:
    """Start Django with the chosen data directory. A command that `changes` data sets up a
    fresh SQLite database itself; others insist on a migrated one (when `migrated`)."""
    from coproduce.site import runtime

    runtime.start(ctx.obj.get("data_dir"))
    if changes:
        if runtime.prepare():
            click.echo("Set up the database for its first use.", err=True)
    elif migrated:
        runtime.require_migrated()


@click.group(cls=CoproduceGroup)
@click.version_option(__version__, "--version", prog_name="coproduce")
@click.option("--data-dir", type=click.Path(path_type=Path), help=DATA_DIR_HELP)
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """Coproduce: co-produced research and evaluation, from collecting evidence to publishing it."""
    ctx.ensure_object(dict)
    ctx.obj["data_dir"] = data_dir


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Server processes (default: cores, at most 4)."
)
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not start a background worker here (run `coproduce worker` elsewhere instead).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int | None, no_worker: bool) -> None:
    """Serve Coproduce on the web with a production-grade server and a background worker."""
    from coproduce.site import server

    start(ctx)
    server.serve(
        host,
        port,
        workers or server.default_workers(),
        announce=click.echo,
        with_worker=not no_worker,
    )


@main.command()
@click.option("--batch", is_flag=True, help="Run the work waiting now, then stop.")
@click.pass_context
def worker(ctx: click.Context, batch: bool) -> None:
    """Run background work (opinion analyses) as it is queued; stop with Ctrl+C.

    `coproduce serve` starts one for you; run this on its own when web servers run with
    --no-worker (several servers, one or more workers).
    """
    from django.core.management import call_command

    start(ctx)
    arguments = ["--no-reload", "--no-startup-delay"] + (["--batch"] if batch else [])
    call_command("db_worker", *arguments, verbosity=0)


@main.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Create or update the database tables."""
    from coproduce.site import runtime

    start(ctx, migrated=False)
    applied = runtime.migrate()
    click.echo(f"Applied {len(applied)} migrations." if applied else "The database is up to date.")


@main.command()
@click.option("--email", prompt="E-mail address", help="The administrator's e-mail address.")
@click.option("--name", default="", help="The administrator's name.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (for scripts)."
)
@click.pass_context
def createsuperuser(ctx: click.Context, email: str, name: str, password_stdin: bool) -> None:
    """Create a site administrator account (can use /admin and every study)."""
    start(ctx, changes=True)
    from coproduce.accounts.services import create_account

    password = read_password(password_stdin)
    user = create_account(email, password, name, superuser=True)
    click.echo(f"Created the administrator account {user.email}.")


@main.command()
@click.option(
    "--no-serve", is_flag=True, help="Set everything up and write outputs, but do not serve."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def demo(ctx: click.Context, no_serve: bool, host: str, port: int) -> None:
    """Load the demo study, write its outputs and serve it."""
    start(ctx, migrated=False)
    from django.conf import settings

    from coproduce.demo.service import DEMO_EMAIL, DEMO_PASSWORD, build_demo
    from coproduce.site import runtime, server

    runtime.migrate()
    result = build_demo()

    verb = "Created" if result.created else "Found"
    click.echo(f"{verb} the demo study “{result.study.title}” in {settings.DATA_DIR}.")
    for path in result.outputs:
        click.echo(f"Wrote {path}")
    click.echo(f"Sign in as {DEMO_EMAIL} with the password {DEMO_PASSWORD}")
    if not no_serve:
        server.serve(host, port, server.default_workers(), announce=click.echo, with_worker=True)


@main.command()
@click.option(
    "--deploy", is_flag=True, help="Also what matters on the open internet (HTTPS, hosts, ...)."
)
@click.pass_context
def check(ctx: click.Context, deploy: bool) -> None:
    """Check the installation: Django's system checks (its deployment checks with --deploy) and
    Coproduce's own (the secret key file, debugging, HTTPS, host names, SQLite's durability).
    Exits 1 when something needs fixing, listing each with what to set."""
    start(ctx, migrated=False)
    import io

    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from coproduce.site.deploy import problems

    out = io.StringIO()
    failed = False
    try:
        call_command("check", deploy=deploy, fail_level="WARNING", stdout=out, stderr=out)
    except SystemCheckError as error:
        failed = True
        click.echo(str(error).strip())
    found = problems(deploy=deploy)
    for problem in found:
        click.echo(f"- {problem}")
    if failed or found:
        raise SystemExit(1)
    click.echo("No problems found." + ("" if deploy else " Add --deploy before going live."))


@main.command()
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The backup file.")
@click.pass_context
def backup(ctx: click.Context, out: Path) -> None:
    """Back up the whole database while the site runs: SQLite's online backup (consistent while
    people vote), or pg_dump for PostgreSQL. Copy the data directory's files/ folder too."""
    start(ctx)
    from coproduce.site.backup import backup as make_backup

    click.echo(make_backup(out))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@click.pass_context
def restore(ctx: click.Context, path: Path, yes: bool) -> None:
    """Replace the database with a backup made by `coproduce backup`. Stop every server and
    worker first; everything since the backup is lost."""
    start(ctx, migrated=False)
    from coproduce.site.backup import restore as put_back

    if not yes:
        click.confirm(
            "This replaces everything in the database with the backup. Go on?", abort=True
        )
    click.echo(put_back(path))


@main.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """How the installation is doing: the database, and the background work (waiting, running,
    failed in the last day). Exits 1 when background work is stalled (no worker taking it)."""
    start(ctx)
    from coproduce.site.health import health

    found = health()
    for sentence in found.sentences():
        click.echo(sentence)
    if not found.worker_ok:
        raise SystemExit(1)


@main.command("list-studies")
@click.pass_context
def list_studies(ctx: click.Context) -> None:
    """List the studies in the database with their short names."""
    start(ctx)
    from coproduce.studies.models import Study

    studies = Study.objects.order_by("slug")
    if not studies:
        click.echo("There are no studies yet.")
    for study in studies:
        click.echo(f"{study.slug}\t{study.title}")


def acting_owner(study: Any, as_email: str | None) -> Any:
    """Who a command acts as in a study: the team member named with --as, or its first owner
    (the server's operator, who runs the command, stands in for the study's owner)."""
    from coproduce.studies import services
    from coproduce.studies.models import Role

    if as_email:
        return services.account(as_email)
    membership = study.memberships.filter(role=Role.OWNER).order_by("joined_at", "pk").first()
    if membership is None:
        raise click.ClickException(f"{study.slug} has no owner; give --as EMAIL.")
    return membership.user


AS_HELP = "Act as this team member (default: the study's first owner)."


@main.command("create-study")
@click.argument("title")
@click.option("--owner", "owner_email", required=True, help="E-mail address of its owner.")
@click.option("--slug", default="", help="Short name for addresses and commands (from the title).")
@click.option("--summary", default="", help="A sentence or two on what the study is for.")
@click.pass_context
def create_study(ctx: click.Context, title: str, owner_email: str, slug: str, summary: str) -> None:
    """Start a study, owned by an account (made without a password if it is new)."""
    start(ctx, changes=True)
    from coproduce.accounts.models import User
    from coproduce.studies import services

    owner = User.objects.filter(email__iexact=owner_email.strip()).first()
    if owner is None:
        from coproduce.accounts.services import create_account_without_password

        owner = create_account_without_password(owner_email)
        click.echo(
            f"Made the account {owner.email}; it has no password yet (set one with "
            f"`coproduce set-password {owner.email}`).",
            err=True,
        )
    study = services.create_study(owner, title, slug, summary=summary)
    click.echo(f"Created the study “{study.title}” as {study.slug}.")


@main.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (for scripts)."
)
@click.pass_context
def set_password(ctx: click.Context, email: str, password_stdin: bool) -> None:
    """Set an account's password (checked like any other)."""
    start(ctx, changes=True)
    from coproduce.accounts.services import set_password as store
    from coproduce.studies import services

    user = services.account(email)
    password = read_password(password_stdin)
    store(user, password)
    click.echo(f"Set the password of {user.email}.")


@main.command("reset-link")
@click.argument("email")
@click.option(
    "--site",
    default="",
    help="The site's address, such as https://consult.example.org (default: its first host).",
)
@click.pass_context
def reset_link(ctx: click.Context, email: str, site: str) -> None:
    """Print a one-time link with which this team member chooses a new password: for a site
    that sends no e-mail. It works once, for a day; give it to the person privately."""
    start(ctx)
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from coproduce.accounts.models import User

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise click.ClickException(f"No active account has the address {email}; check it.")
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    base = site.rstrip("/") or f"{'https' if settings.HTTPS else 'http'}://{host.lstrip('.')}"
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    click.echo(base + path)


@main.command("add-member")
@click.argument("slug")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["owner", "researcher", "co_researcher", "facilitator", "observer"]),
    required=True,
    help="What they may do in the study.",
)
@click.option("--as", "as_email", help=AS_HELP)
@click.pass_context
def add_member(ctx: click.Context, slug: str, email: str, role: str, as_email: str | None) -> None:
    """Add someone to a study's team (an invitation link if they have no account yet)."""
    start(ctx, changes=True)
    from coproduce.studies import services
    from coproduce.studies.models import Invitation

    study = services.get_study(slug)
    made = services.invite(study, acting_owner(study, as_email), email, role)
    if isinstance(made, Invitation):
        click.echo(
            f"Invited {made.email} as {role}: they accept at {made.get_absolute_url()} "
            f"on this site within {services.INVITATION_DAYS} days."
        )
    else:
        click.echo(f"Added {made.user.email} to {study.slug} as {role}.")


@main.command("create-conversation")
@click.argument("slug")
@click.argument("question")
@click.option("--description", default="", help="A few words on what it is about.")
@click.option(
    "--moderation",
    type=click.Choice(["strict", "lenient"]),
    default="strict",
    show_default=True,
    help="strict: people's statements are shown once approved; lenient: at once.",
)
@click.option("--as", "as_email", help=AS_HELP)
@click.pass_context
def create_conversation(
    ctx: click.Context,
    slug: str,
    question: str,
    description: str,
    moderation: str,
    as_email: str | None,
) -> None:
    """Start a conversation in a study; prints its code."""
    start(ctx, changes=True)
    from coproduce.conversations import services as conversations
    from coproduce.studies import services

    study = services.get_study(slug)
    made = conversations.create_conversation(
        study,
        acting_owner(study, as_email),
        question,
        description=description,
        moderation=moderation,
    )
    click.echo(f"Created the conversation {made.code}: {made.question}")
    click.echo(f"Participants take part at /c/{made.code}/")


@main.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def equity(ctx: click.Context, slug: str, as_json: bool) -> None:
    """Voice equity of a study: how evenly people contributed (Gini, the most active tenth and
    person, per strand and overall), who took part by role and channel against the team's
    targets, tallies counted by items and by people, talk time in joint interviews, and whose
    words are quoted. People who withdrew are in no figure."""
    start(ctx)
    import json

    from coproduce.equity.voices import channel_names, role_names, voices
    from coproduce.studies import services

    summary = voices(services.get_study(slug))
    if as_json:
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=1))
        return
    o = summary.overall
    click.echo(
        f"Everyone enrolled: {o.people} people, {o.silent} of whom gave nothing;"
        f" {o.contributions:,.0f} contributions; Gini {o.gini:.2f}; the most active tenth"
        f" {o.top_tenth:.0%}, the most active person {o.top_person:.0%}."
    )
    for s in summary.strands:
        m = s.measure
        click.echo(
            f"  {s.title}: {m.people} people, Gini {m.gini:.2f}, most active tenth"
            f" {m.top_tenth:.0%}"
        )
    roles, channels = role_names(), channel_names()
    click.echo("By role (share of people, of contributions):")
    for r in summary.by_role:
        click.echo(
            f"  {roles.get(r.group, r.group)}: {r.people_share:.0%}, {r.contribution_share:.0%}"
        )
    click.echo("By channel (share of people, of contributions):")
    for c in summary.by_channel:
        name = channels.get(c.group, c.group)
        click.echo(f"  {name}: {c.people_share:.0%}, {c.contribution_share:.0%}")
    for w in summary.weightings:
        for sentence in w.tally.sentences():
            click.echo(f"{w.name}: {sentence}")
    for t in summary.talk:
        shares = ", ".join(f"{k.replace('_', ' ')} {t.share(k):.0%}" for k in t.words)
        click.echo(
            f"{t.name}: {shares}" + (" (the service user spoke little)" if t.flagged else "")
        )
    for alert in summary.alerts:
        click.echo(f"Alert: {alert.sentence} {alert.advice}")


@main.command("list-conversations")
@click.argument("slug")
@click.pass_context
def list_conversations(ctx: click.Context, slug: str) -> None:
    """List a study's conversations: code, statements, open or closed, question."""
    start(ctx)
    from coproduce.studies import services

    study = services.get_study(slug)
    conversations = study.conversations.order_by("position", "pk")
    if not conversations:
        click.echo(f"{study.slug} has no conversations yet.")
    for c in conversations:
        state = "open" if c.is_open() else "closed"
        click.echo(f"{c.code}\t{c.statements.count()}\t{state}\t{c.question}")


@main.command("seed-statements")
@click.argument("code")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--as", "as_email", help=AS_HELP)
@click.pass_context
def seed_statements(ctx: click.Context, code: str, path: Path, as_email: str | None) -> None:
    """Add seed statements from a file: a CSV with a text column (and meta), or one per line."""
    start(ctx, changes=True)
    from coproduce.conversations.seeds import import_seed_file
    from coproduce.conversations.services import get_conversation

    conversation = get_conversation(code)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(
            f"Could not read {path} ({error.strerror}); check the path."
        ) from None
    by = acting_owner(conversation.study, as_email)
    added = import_seed_file(conversation, by, path.name, data)
    click.echo(f"Added {added} seed statement{'s' if added != 1 else ''} to {conversation.code}.")


@main.command("export-study")
@click.argument("slug")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Archive file (or folder) to write.",
)
@click.option("--as", "as_email", help="Check that this team member may export the study.")
@click.pass_context
def export_study(ctx: click.Context, slug: str, out: Path, as_email: str | None) -> None:
    """Write a whole study to a versioned archive (.zip)."""
    start(ctx)
    from coproduce.accounts.models import User
    from coproduce.archive import export_study as export
    from coproduce.studies import audit, services
    from coproduce.studies.models import AuditEvent
    from coproduce.studies.permissions import Permission

    study = services.get_study(slug)
    by: User | str = audit.COMMAND_LINE
    if as_email:
        by = services.account(as_email)
        services.require(by, Permission.EXPORT_STUDY, study)
    written = export(study, out)
    audit.record(study, by, AuditEvent.Action.EXPORTED, "study archive")
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Report what would be removed; change nothing.")
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    help="Also write the report as JSON to this file.",
)
@click.pass_context
def purge(ctx: click.Context, slug: str, dry_run: bool, report: Path | None) -> None:
    """Remove a study's raw restricted material once its retention period has ended.

    Recordings, the original words of stories and interviews (their checked, redacted words
    stay), everything withdrawn or never checked, and participants' names, external ids and
    self-descriptions. Prints a report of what went; the audit log records it.
    """
    start(ctx)
    import json

    from coproduce.core.files import write_atomically
    from coproduce.studies import audit, retention, services

    study = services.get_study(slug)
    done = retention.purge(study, audit.COMMAND_LINE, dry_run=dry_run)
    if report is not None:
        text = json.dumps(done.as_json(), indent=1, ensure_ascii=False) + "\n"
        write_atomically(report, text.encode())
    click.echo(done.as_text(), nl=False)


@main.command()
@click.argument("slug")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the publication into this folder only (default: where the site serves it).",
)
@click.option("--public/--team-only", default=None, help="Open it to everyone, or close it.")
@click.pass_context
def publish(ctx: click.Context, slug: str, out: Path | None, public: bool | None) -> None:
    """Build a study's publication: interactive summary, report and open data."""
    start(ctx, changes=True)
    from coproduce.publications import services as publications
    from coproduce.studies import audit, services

    study = services.get_study(slug)
    with click.progressbar(length=3, label="Publishing", file=sys.stderr) as bar:

        def step(_what: str) -> None:
            bar.update(1)

        if out is not None:
            files = publications.build(study, out, step)
            where, count = out, len(files)
        else:
            record = publications.publish(study, audit.COMMAND_LINE, public=public, progress=step)
            where, count = publications.folder_for(study), len(record.files)
    click.echo(f"Wrote {count} files to {where}")
    if out is None:
        state = f"public at /s/{study.slug}/" if record.public else "team-only"
        click.echo(f"The publication is {state}.")


@main.command("import-study")
@click.argument("archive", type=click.Path(path_type=Path))
@click.pass_context
def import_study(ctx: click.Context, archive: Path) -> None:
    """Load a study archive made by export-study (all of it, or nothing)."""
    start(ctx, changes=True)
    from coproduce.archive import import_study as load

    study = load(archive)
    click.echo(f"Imported the study “{study.title}” as {study.slug}.")


@main.group("import")
def import_group() -> None:
    """Bring data from other tools into a study."""


@import_group.command("polis")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--study", "slug", required=True, help="Short name of the study to import into.")
@click.option(
    "--consent",
    type=click.Choice(["store", "quote", "publish"]),
    default="publish",
    show_default=True,
    help="What the imported participants agreed to (Polis open data is published).",
)
@click.pass_context
def import_polis(ctx: click.Context, path: Path, slug: str, consent: str) -> None:
    """Import a Polis export (folder or zip) as a new conversation."""
    start(ctx, changes=True)
    from coproduce.conversations.polis import import_polis as load
    from coproduce.core.evidence import ConsentLevel
    from coproduce.studies import services

    conversation = load(path, services.get_study(slug), consent=ConsentLevel[consent.upper()])
    click.echo(
        f"Imported “{conversation.question}” as conversation {conversation.code}: "
        f"{conversation.statements.count()} statements, "
        f"{conversation.members.count()} participants."
    )


@main.group("export")
def export_group() -> None:
    """Write a study's data in other tools' formats."""


@export_group.command("polis")
@click.argument("code")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder to write.")
@click.pass_context
def export_polis(ctx: click.Context, code: str, out: Path) -> None:
    """Write a conversation as a Polis export (comments, votes, participants-votes, summary)."""
    start(ctx)
    from coproduce.conversations.polis import export_polis as write
    from coproduce.conversations.services import get_conversation
    from coproduce.studies import audit
    from coproduce.studies.models import AuditEvent

    conversation = get_conversation(code)
    written = write(conversation, out)
    subject = f"conversation {code} as a Polis export"
    audit.record(conversation.study, audit.COMMAND_LINE, AuditEvent.Action.EXPORTED, subject)
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--backend",
    type=click.Choice(["default", "words", "minilm"]),
    default="default",
    show_default=True,
    help="words reads shared words (any language, no model file); minilm reads English by "
    "meaning with all-MiniLM-L6-v2 (other languages by shared words); default reads English "
    "by meaning where the model is installed and the texts take it seconds, all else by words.",
)
@click.option("--k", type=click.IntRange(min=1), help="Ask for this many themes (default: found).")
def themes(path: Path, as_json: bool, backend: str, k: int | None) -> None:
    """Suggest themes for the texts in a CSV file with the columns id,text.

    Themes are suggested within each language the texts are written in. Prints each theme's
    label, size, language (when there are several), distinctive terms and up to three verbatim
    quotes; texts that fit no theme (test posts, keyboard mashing, single words...) are listed
    as unassigned with the reason. A progress bar shows on a terminal. Suggestions only:
    nothing is stored.
    """
    import json

    from coproduce.core.languages import load_in_background

    load_in_background()
    from coproduce.core.analysis.themes import read_csv_texts, suggest_themes

    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(
            f"Cannot read {path} ({error.strerror}); check the path."
        ) from None
    texts = read_csv_texts(data, source=str(path))
    with progress_bar("Suggesting themes") as progress:
        result = suggest_themes(texts, backend=backend, k=k, source=str(path), progress=progress)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return
    several = len({t.language for t in result.themes}) > 1
    for number, theme in enumerate(result.themes, start=1):
        size = f"{len(theme.ids)} text" + ("" if len(theme.ids) == 1 else "s")
        language = f", in {theme.language_name}" if several else ""
        click.echo(f"{number}. {theme.label} ({size}{language})")
        if theme.terms:
            click.echo(f"   terms: {', '.join(theme.terms)}")
        for q in theme.quotes:
            click.echo(f"   {q.id}: \u201c{q.text}\u201d")
    if result.unassigned:
        click.echo("Unassigned:")
        for i in result.unassigned:
            click.echo(f"   {i}: {result.reasons.get(i, '')}")
    for note in result.notes:
        click.echo(note)
    click.echo(f"{len(result.themes)} themes in {result.seconds:.1f} s ({result.backend}).")


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[str, float], None]]:
    """A progress bar on a terminal (standard error), for long work; silent otherwise."""
    if not sys.stderr.isatty():
        yield lambda step, done: None
        return
    with click.progressbar(length=100, label=label, file=sys.stderr) as bar:
        shown = [0]

        def advance(step: str, done: float) -> None:
            bar.label = f"{label}: {step}"
            reached = round(100 * done)
            bar.update(max(0, reached - shown[0]))
            shown[0] = max(shown[0], reached)

        yield advance


@main.group("analyse")
def analyse_group() -> None:
    """Analyse votes without storing anything."""


@analyse_group.command("polis")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
def analyse_polis(path: Path, as_json: bool) -> None:
    """Find opinion groups, representative statements and consensus in a Polis export.

    Reads the export (folder or zip) into memory, analyses it and prints the result; nothing is
    written and no database is needed. Participant and statement ids are the export's own.
    """
    import json
    import time

    from coproduce.conversations.opinion_input import log_from_polis
    from coproduce.core.analysis.opinion import ModeratedOut, analyse
    from coproduce.core.formats.polis import read_export

    started = time.perf_counter()
    export = read_export(path)
    result = analyse(log_from_polis(export), moderated_out=ModeratedOut.ZEROED)
    if as_json:
        data = result.to_json()
        data["seconds"] = round(time.perf_counter() - started, 4)
        data["analysis_seconds"] = round(result.seconds, 4)
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    texts = {c.comment_id: c.body for c in export.comments}
    clustered = int(result.clustered.sum())
    click.echo(
        f"{len(result.participants)} participants ({clustered} clustered), "
        f"{len(result.statements)} statements, analysed in {result.seconds:.2f} s."
    )
    if result.message:
        click.echo(result.message)
    for group in result.groups:
        click.echo(f"\nGroup {group.id}: {len(group.members)} people")
        for r in group.representative:
            share = r.p * 100
            click.echo(f"  {r.side} {share:.0f}%: [{r.key}] {texts.get(r.key, '')[:100]}")
    for side, found in (("agree", result.consensus_agree), ("disagree", result.consensus_disagree)):
        if found:
            click.echo(f"\nMost people {side}:")
            for c in found:
                click.echo(f"  {c.p * 100:.0f}%: [{c.key}] {texts.get(c.key, '')[:100]}")
