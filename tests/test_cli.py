"""The `coproduce` command as a person runs it: real processes, real databases."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from coproduce.cli import main
from tests.support.processes import one_sentence_error, run_cli

COMMANDS = sorted(main.commands)  # type: ignore[attr-defined]


def test_version() -> None:
    import os

    result = run_cli("--version", env=dict(os.environ))
    assert result.returncode == 0 and "coproduce, version 0.1.0" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, fresh_env: dict[str, str]) -> None:
    result = run_cli(command, "--help", env=fresh_env)
    assert result.returncode == 0, result.stderr
    assert f"Usage: coproduce {command}" in result.stdout


def test_unreachable_database_is_one_sentence(fresh_env: dict[str, str]) -> None:
    env = dict(fresh_env, DATABASE_URL="postgresql://nobody:pw@127.0.0.1:9/none")
    result = run_cli("migrate", env=env)
    one_sentence_error(result, "Could not connect to the database", "***", "DATABASE_URL")
    assert "pw@" not in result.stderr


def test_wrong_database_url_is_one_sentence(fresh_env: dict[str, str]) -> None:
    one_sentence_error(
        run_cli("migrate", env=dict(fresh_env, DATABASE_URL="mysql://db/x")), "mysql"
    )


def test_unwritable_data_dir_is_one_sentence(fresh_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run_cli("--data-dir", str(tmp_path / "file" / "data"), "migrate", env=fresh_env)
    one_sentence_error(result, "cannot be written to", "--data-dir")


def test_commands_before_migrate_say_what_to_do(fresh_env: dict[str, str]) -> None:
    one_sentence_error(run_cli("list-studies", env=fresh_env), "run `coproduce migrate` first")


def test_unknown_study_is_one_sentence(fresh_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli("migrate", env=fresh_env).returncode == 0
    result = run_cli("export-study", "nowhere", "--out", str(tmp_path / "x.zip"), env=fresh_env)
    one_sentence_error(result, "No study has the short name 'nowhere'")
    assert not (tmp_path / "x.zip").exists()


def test_createsuperuser_checks_the_password(fresh_env: dict[str, str]) -> None:
    assert run_cli("migrate", env=fresh_env).returncode == 0
    weak = run_cli(
        "createsuperuser",
        "--email",
        "admin@example.org",
        "--password-stdin",
        env=fresh_env,
        input="123\n",
    )
    one_sentence_error(weak, "password cannot be used")
    ok = run_cli(
        "createsuperuser",
        "--email",
        "admin@example.org",
        "--password-stdin",
        env=fresh_env,
        input="a-long-admin-passphrase\n",
    )
    assert ok.returncode == 0 and "admin@example.org" in ok.stdout
    again = run_cli(
        "createsuperuser",
        "--email",
        "ADMIN@example.org",
        "--password-stdin",
        env=fresh_env,
        input="a-long-admin-passphrase\n",
    )
    one_sentence_error(again, "already exists")


def test_demo_export_import_round_trip_between_databases(
    fresh_env: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    demo = run_cli("demo", "--no-serve", env=fresh_env, timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert "Sign in as demo@coproduce.example" in demo.stdout
    output = (
        Path(fresh_env["COPRODUCE_DATA_DIR"]) / "outputs" / "coproduction-in-practice.coproduce.zip"
    )
    assert output.is_file()
    # The demo's stories: 100 told; one story withdrawn, and four tellers who withdrew from the
    # study (the demo is seeded, so always the same ones): 95 reach the archive.
    with zipfile.ZipFile(output) as archive:
        stories = json.loads(archive.read("parts/stories.json"))["stories"]
        cases = json.loads(archive.read("parts/case_studies.json"))["case_studies"]
        analysis = json.loads(archive.read("parts/analysis.json"))
        easy = json.loads(archive.read("parts/easy_read.json"))
    assert len(stories) == 95
    assert {s["kind"] for s in stories} == {"snapshot", "dialogue", "monologue"}
    assert any(s["redactions"] for s in stories) and any(s["quotes"] for s in stories)
    # Five case studies, each with a joint interview of 1,500 to 3,000 words and chosen quotes.
    assert len(cases) == 5
    for case in cases:
        (interview,) = case["interviews"]
        words = sum(len(text.split()) for _, text, _, _ in interview["turns"])
        assert 1500 <= words <= 3000
        assert {p for _, p, _ in interview["speakers"]} == {
            "organisation",
            "service_user",
            "interviewer",
        }
        assert len(case["quotes"]) == 4 and case["example"] and case["challenges"]
    # The analysis, pointing at evidence by natural keys (never database ids): a two-level
    # codebook, codings by two coders, reviewed themes, findings and recommendations.
    assert len(analysis["codes"]) == 9
    assert any(code["parent"] for code in analysis["codes"])
    assert len({coding[5] for coding in analysis["codings"]}) == 2
    assert {coding[1].split(":")[0] for coding in analysis["codings"]} >= {
        "statement",
        "story",
        "turn",
    }
    told = {f"story:{s['number']}" for s in stories}
    assert all(c[1] in told for c in analysis["codings"] if c[1].startswith("story:"))
    assert {t["status"] for t in analysis["themes"]} >= {"suggested", "accepted"}
    assert 5 <= len(analysis["findings"]) <= 8
    assert all(f["themes"] and f["quotes"] for f in analysis["findings"])
    assert analysis["recommendations"] and not analysis["recommendations_ordered"]
    # The Easy Read version, published, a part for each finding (named by its place).
    assert easy["published"] and easy["words"]
    placed = sorted(p["finding"] for p in easy["parts"] if p["kind"] == "finding")
    assert placed == list(range(len(analysis["findings"])))
    assert all(point["symbol"] for part in easy["parts"] for point in part["points"])
    # Each demo conversation's opinion analysis, with pseudonyms, never database ids.
    analyses = sorted(output.parent.glob("opinion-*.json"))
    assert len(analyses) == 6
    for path in analyses:
        analysis = json.loads(path.read_text(encoding="utf-8"))
        assert analysis["message"] is None and len(analysis["groups"]) >= 2
        assert all(not key.isdigit() for key in analysis["participants"])
    # Running the demo again reuses the study rather than failing.
    assert run_cli("demo", "--no-serve", env=fresh_env).returncode == 0

    first = tmp_path / "first.zip"
    assert (
        run_cli(
            "export-study", "coproduction-in-practice", "--out", str(first), env=fresh_env
        ).returncode
        == 0
    )
    denied = run_cli(
        "export-study",
        "coproduction-in-practice",
        "--out",
        str(tmp_path / "no.zip"),
        "--as",
        "tom.whitfield@funder.example",
        env=fresh_env,
    )
    one_sentence_error(denied, "does not allow that", "export_study")

    other_env = request.getfixturevalue("fresh_env_2")
    assert run_cli("migrate", env=other_env).returncode == 0
    imported = run_cli("import-study", str(first), env=other_env)
    assert imported.returncode == 0, imported.stderr
    second = tmp_path / "second.zip"
    assert (
        run_cli(
            "export-study", "coproduction-in-practice", "--out", str(second), env=other_env
        ).returncode
        == 0
    )
    assert parts_of(first) == parts_of(second)
    one_sentence_error(
        run_cli("import-study", str(first), env=other_env), "already in this database"
    )
    bad = tmp_path / "bad.zip"
    bad.write_text("not a zip")
    one_sentence_error(
        run_cli("import-study", str(bad), env=other_env), "not a Coproduce study archive"
    )


def parts_of(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as z:
        return {name: z.read(name) for name in z.namelist() if name.startswith("parts/")}


def test_worker_runs_what_is_queued_and_stops_with_batch(fresh_env: dict[str, str]) -> None:
    one_sentence_error(run_cli("worker", "--batch", env=fresh_env), "coproduce migrate")
    assert run_cli("migrate", env=fresh_env).returncode == 0
    result = run_cli("worker", "--batch", env=fresh_env)
    assert result.returncode == 0, result.stderr


POLIS_COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,x,0,0,1,1,1,Buses should run later.\n"
    "2,x,1,1,1,1,1,Fares are too high.\n"
)
POLIS_VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,1,0,-1\n3,x,0,1,-1\n4,x,1,1,1\n"
)


def test_a_scripted_team_works_on_a_fresh_data_folder_with_no_other_step(
    fresh_env: dict[str, str], tmp_path: Path
) -> None:
    """create-study, add-member, create-conversation, seed-statements, list-conversations, then
    a Polis export imported into the study and exported again: no `coproduce migrate` first."""
    if "DATABASE_URL" in fresh_env and fresh_env["DATABASE_URL"].startswith("postgres"):
        made = run_cli("create-study", "Buses", "--owner", "sam@example.org", env=fresh_env)
        one_sentence_error(made, "run `coproduce migrate` once")
        assert run_cli("migrate", env=fresh_env).returncode == 0
    made = run_cli(
        "create-study",
        "Buses in Bury",
        "--owner",
        "sam@example.org",
        "--slug",
        "buses",
        env=fresh_env,
    )
    assert made.returncode == 0, made.stderr
    assert "Created the study “Buses in Bury” as buses." in made.stdout
    assert "set-password sam@example.org" in made.stderr
    invited = run_cli(
        "add-member", "buses", "kim@example.org", "--role", "researcher", env=fresh_env
    )
    assert invited.returncode == 0 and "Invited kim@example.org as researcher" in invited.stdout
    bad_role = run_cli("add-member", "buses", "x@example.org", "--role", "boss", env=fresh_env)
    assert bad_role.returncode != 0 and "boss" in bad_role.stderr
    started = run_cli("create-conversation", "buses", "What would help?", env=fresh_env)
    assert started.returncode == 0, started.stderr
    code = started.stdout.split("conversation ")[1].split(":")[0]
    (tmp_path / "seeds.txt").write_text("Later buses.\n\nCheaper fares.\n", encoding="utf-8")
    (tmp_path / "seeds.csv").write_text("text,meta\nSafer stops.,no\n", encoding="utf-8")
    for name, n in (("seeds.txt", "2 seed statements"), ("seeds.csv", "1 seed statement ")):
        seeded = run_cli("seed-statements", code, str(tmp_path / name), env=fresh_env)
        assert seeded.returncode == 0 and n in seeded.stdout, seeded.stderr
    again = run_cli("seed-statements", code, str(tmp_path / "seeds.txt"), env=fresh_env)
    one_sentence_error(again, "is already in this conversation")
    listed = run_cli("list-conversations", "buses", env=fresh_env)
    assert f"{code}\t3\topen\tWhat would help?" in listed.stdout
    polis = tmp_path / "polis"
    polis.mkdir()
    (polis / "comments.csv").write_text(POLIS_COMMENTS, encoding="utf-8")
    (polis / "votes.csv").write_text(POLIS_VOTES, encoding="utf-8")
    imported = run_cli("import", "polis", str(polis), "--study", "buses", env=fresh_env)
    assert imported.returncode == 0, imported.stderr
    other = imported.stdout.split("conversation ")[1].split(":")[0]
    out = tmp_path / "out"
    exported = run_cli("export", "polis", other, "--out", str(out), env=fresh_env)
    assert exported.returncode == 0, exported.stderr
    assert "Fares are too high." in (out / "comments.csv").read_text(encoding="utf-8")


def test_help_lists_every_command_under_a_task() -> None:
    import os

    shown = run_cli("--help", env=dict(os.environ)).stdout
    assert "Other:" not in shown
    for task in ("Run Coproduce:", "Studies and their teams:", "Conversations:"):
        assert task in shown


def test_backup_and_restore_round_trip(fresh_env: dict[str, str], tmp_path: Path) -> None:
    """A backup taken while the database is in use, restored over later changes."""
    assert run_cli("migrate", env=fresh_env).returncode == 0
    made = run_cli("create-study", "Buses", "--owner", "sam@example.org", env=fresh_env)
    assert made.returncode == 0, made.stderr
    saved = tmp_path / "backups" / "hourly.backup"
    done = run_cli("backup", "--out", str(saved), env=fresh_env)
    assert done.returncode == 0, done.stderr
    assert "Backed up the" in done.stdout and saved.stat().st_size > 0
    later = run_cli("create-study", "Trams", "--owner", "sam@example.org", env=fresh_env)
    assert later.returncode == 0, later.stderr
    assert "Trams" in run_cli("list-studies", env=fresh_env).stdout
    back = run_cli("restore", str(saved), "--yes", env=fresh_env)
    assert back.returncode == 0, back.stderr
    listed = run_cli("list-studies", env=fresh_env).stdout
    assert "Buses" in listed and "Trams" not in listed
    # Not a backup: one sentence, nothing changed.
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all")
    refused = run_cli("restore", str(junk), "--yes", env=fresh_env)
    one_sentence_error(refused, "junk.backup", "not a")
    assert "Buses" in run_cli("list-studies", env=fresh_env).stdout
    missing = run_cli("restore", str(tmp_path / "nowhere"), "--yes", env=fresh_env)
    one_sentence_error(missing, "no backup file")
