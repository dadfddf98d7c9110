"""The publication: only publishable material, nothing withdrawn, reproducible, valid open data,
and a public page once the team opens it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from coproduce.coding import findings, themes
from coproduce.conversations import services as conversation_services
from coproduce.core.evidence import ConsentLevel
from coproduce.publications import services
from coproduce.publications.models import PublicationBuild, PublishedStudy
from coproduce.stories import services as story_services
from coproduce.studies import audit
from coproduce.studies import services as study_services
from coproduce.studies.models import Role
from tests.support.factories import client_for, story, study_with_team
from tests.support.processes import database_url_of, run_cli

pytestmark = pytest.mark.django_db

LEAVER = "Quokkamarch"  # the words of the person who will withdraw
WITHDRAWN_STORY = "Pelicanfold"  # the words of the story that will be withdrawn
ADDRESS = "14 Elm Grove Road"  # personal data in a story nobody checked
KEPT = "Buses stopped running after six."


def a_study_to_publish() -> tuple[Any, Any, Any, Any]:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    conversation = conversation_services.create_conversation(study, owner, "What helps?")
    conversation_services.add_seed_statements(conversation, owner, ["Later buses."])
    leaver = study_services.join(study, ConsentLevel.PUBLISH, xid="leaver")
    said = conversation_services.write_statement(conversation, leaver, f"{LEAVER} statement.")
    conversation_services.moderate(conversation, owner, [said.number], "approved")
    told = story_services.tell_story(
        study, story(text=f"{LEAVER} story about buses."), teller=leaver
    )
    story_services.save_check(told, owner, [])
    gone = story_services.tell_story(study, story(text=f"{WITHDRAWN_STORY} and the buses."))
    story_services.save_check(gone, owner, [])
    kept = story_services.tell_story(study, story(text=KEPT))
    story_services.save_check(kept, owner, [])
    story_services.tell_story(study, story(text=f"I live at {ADDRESS}, and buses never come."))
    ids = [f"statement:{said.pk}", f"story:{told.pk}", f"story:{gone.pk}", f"story:{kept.pk}"]
    theme = themes.add_theme(study, owner, "Buses fail people", ids)
    themes.mark_quote(theme, owner, f"story:{told.pk}", f"{LEAVER} story about buses")
    themes.mark_quote(theme, owner, f"story:{kept.pk}", KEPT)
    finding = findings.save_finding(study, owner, "Buses fail people", theme_ids=[theme.pk])
    findings.save_recommendation(study, owner, "Run buses after six", [finding.pk])
    return study, team, leaver, gone


def everything_in(folder: Path) -> str:
    """Every file's text: PDFs' text pulled out, the others read as they are."""
    import pypdfium2

    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".pdf":
            document = pypdfium2.PdfDocument(path.read_bytes())
            texts += [page.get_textpage().get_text_range() for page in document]
            document.close()
        elif path.suffix == ".brf":  # braille: translated back into print by liblouis
            texts.append(braille_back(path.read_bytes().decode("ascii")))
        elif path.suffix in (".qdpx", ".epub", ".docx"):  # zips: read what is inside
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        else:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def braille_back(brf: str) -> str:
    """A BRF file's words in print again (page numbers and layout left out), for searching."""
    lines = [line.strip() for page in brf.split("\f") for line in page.split("\r\n")[1:]]
    back = subprocess.run(
        [
            shutil.which("lou_translate") or "lou_translate",
            "--backward",
            "en-us-brf.dis,en-ueb-g2.ctb",
        ],
        input="\n".join(line for line in lines if line) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return back.stdout


def test_withdrawn_people_and_stories_and_unchecked_words_reach_no_file(tmp_path: Path) -> None:
    study, team, leaver, gone = a_study_to_publish()
    first = tmp_path / "first"
    services.build(study, first)
    before = everything_in(first)
    assert LEAVER in before and WITHDRAWN_STORY in before and KEPT in before  # not vacuous
    assert "Buses fail people" in everything_in(first / "posters")  # PDFs are read too
    # The braille summary and the spoken words (the audio's and the video's captions) too.
    assert LEAVER.lower() in braille_back((first / "summary.brf").read_bytes().decode()).lower()
    assert LEAVER in (first / "audio" / "transcript.txt").read_text()
    assert LEAVER in (first / "video" / "summary.vtt").read_text()
    with zipfile.ZipFile(first / "report.docx") as word:
        assert LEAVER in word.read("word/document.xml").decode()  # and inside Word and EPUB
    with zipfile.ZipFile(first / "report.epub") as book:
        assert LEAVER in book.read("EPUB/findings.xhtml").decode()
    assert LEAVER in everything_in(first / "data" / "polis")  # and the Polis export
    qdpx = next((first / "data").glob("*.qdpx"))
    assert LEAVER not in qdpx.read_text(errors="replace")  # compressed: only readable unzipped
    with zipfile.ZipFile(qdpx) as archive:
        assert LEAVER in archive.read("project.qde").decode()
    assert ADDRESS not in before
    study_services.withdraw(leaver)
    story_services.withdraw_story(gone, team[Role.OWNER])
    second = tmp_path / "second"
    services.build(study, second)
    after = everything_in(second)
    assert LEAVER not in after and WITHDRAWN_STORY not in after and ADDRESS not in after
    assert LEAVER.lower() not in after.lower()  # the braille back-translation is lower case
    assert KEPT in after and leaver.pseudonym not in after


def test_the_same_study_gives_the_same_bytes_and_a_rebuild_keeps_unchanged_files(
    tmp_path: Path,
) -> None:
    study, _team, _leaver, _gone = a_study_to_publish()
    one, two = tmp_path / "one", tmp_path / "two"
    first = services.build(study, one)
    assert services.build(study, two) == first
    assert sorted(str(p.relative_to(one)) for p in one.rglob("*") if p.is_file()) == sorted(first)
    times = {p: p.stat().st_mtime_ns for p in one.rglob("*") if p.is_file()}
    finding = study.findings.get()
    finding.text = "Reworded."
    finding.save()
    again = services.build(study, one)
    changed = {path for path in again if again[path] != first[path]}
    assert "report.html" in changed and "data/findings.csv" in changed
    assert "data/contributions.csv" not in changed
    assert (one / "data" / "contributions.csv").stat().st_mtime_ns == times[
        one / "data" / "contributions.csv"
    ]


def test_the_manifest_lists_every_file_with_its_checksum(tmp_path: Path) -> None:
    import hashlib

    study, *_ = a_study_to_publish()
    files = services.build(study, tmp_path / "p")
    manifest = json.loads(files["manifest.json"])
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest()
        assert entry["bytes"] == len(files[path])


def test_the_open_data_passes_frictionless_validation_offline(tmp_path: Path) -> None:
    frictionless = shutil.which("frictionless", path=str(Path(os.sys.executable).parent))
    assert frictionless is not None, "frictionless is a dev dependency (make install)"
    study, *_ = a_study_to_publish()
    services.build(study, tmp_path / "p")
    package = tmp_path / "p" / "data" / "datapackage.json"
    env = dict(
        os.environ, no_proxy="*", http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9"
    )
    result = subprocess.run(
        [frictionless, "validate", "--json", str(package)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["valid"], result.stdout[:2000]


def test_small_counts_are_never_shown_in_public(tmp_path: Path) -> None:
    study, *_ = a_study_to_publish()
    files = services.build(study, tmp_path / "p")
    summary = files["summary/index.html"].decode()
    assert "fewer than 5" in summary
    rows = files["data/evidence-base.csv"].decode().splitlines()
    story_row = next(r for r in rows if r.startswith("story,"))
    assert story_row.split(",")[1] == ""  # 3 tellers: left empty in the open data


def test_the_public_page_appears_only_once_the_team_publishes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks_db.models import DBTaskResult

    study, team, *_ = a_study_to_publish()
    public = Client()
    assert public.get(f"/s/{study.slug}/").status_code == 404
    owner = client_for(team[Role.OWNER])
    url = f"/studies/{study.slug}/publication/"
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(url, {"action": "build"}).status_code == 302
        owner.post(url, {"action": "build"})  # a second click is covered by the first
    [asked] = PublicationBuild.objects.filter(study=study)
    assert DBTaskResult.objects.filter(args_kwargs__args=[asked.pk]).count() == 1
    assert "Waiting for the background worker" in owner.get(url).content.decode()
    services.run_build(asked.pk)  # what the worker does
    page = owner.get(url).content.decode()
    assert "Last built on" in page and "Preview the publication" in page
    assert public.get(f"/s/{study.slug}/files/summary/index.html").status_code == 404
    assert owner.get(f"/s/{study.slug}/files/summary/index.html").status_code == 200  # preview
    refused = client_for(team[Role.CO_RESEARCHER]).post(
        f"/studies/{study.slug}/publication/", {"action": "public"}
    )
    assert refused.status_code == 403
    owner.post(f"/studies/{study.slug}/publication/", {"action": "public"})
    page = public.get(f"/s/{study.slug}/").content.decode()
    assert "data/datapackage.json" in page and "report.html" in page
    summary = public.get(f"/s/{study.slug}/files/summary/index.html")
    assert summary.status_code == 200 and KEPT.encode() in b"".join(summary.streaming_content)
    assert public.get(f"/s/{study.slug}/files/../../settings.py").status_code == 404
    assert public.get(f"/s/{study.slug}/files/nothing.html").status_code == 404
    joined = Client()
    joined.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    home = joined.get(f"/join/{study.join_code}/you/").content.decode()
    assert "What happened to what you said" in home and f"/s/{study.slug}/" in home
    owner.post(f"/studies/{study.slug}/publication/", {"action": "private"})
    assert public.get(f"/s/{study.slug}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_coproduce_publish_builds_into_a_folder_and_for_the_site(tmp_path: Path) -> None:
    study, *_ = a_study_to_publish()
    env = dict(os.environ, DATABASE_URL=database_url_of(connection.settings_dict))
    env["COPRODUCE_DATA_DIR"] = str(settings.DATA_DIR)
    out = tmp_path / "pub"
    made = run_cli("publish", study.slug, "--out", str(out), env=env)
    assert made.returncode == 0, made.stderr
    assert (out / "summary" / "index.html").is_file() and (out / "manifest.json").is_file()
    served = run_cli("publish", study.slug, "--public", env=env)
    assert served.returncode == 0 and "public at /s/" in served.stdout
    assert PublishedStudy.objects.get(study=study).public
    assert study.audit_events.filter(subject="the publication", actor_label=audit.COMMAND_LINE)


def test_imported_polis_open_data_is_credited(tmp_path: Path) -> None:
    from coproduce.conversations.polis import import_polis
    from coproduce.publications.builder import build_publication

    study, _team = study_with_team()
    export = tmp_path / "polis"
    export.mkdir()
    (export / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,0,0,1,0,1,Buses should run later.\n",
        encoding="utf-8",
    )
    (export / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n", encoding="utf-8"
    )
    import_polis(export, study)
    [credit] = build_publication(study).attribution
    assert "imported from a Polis export" in credit and "CC BY 4.0" in credit
    files = services.build(study, tmp_path / "out")
    assert "CC BY 4.0" in files["data/README.md"].decode()
    assert "imported from a Polis export" in files["report.html"].decode()


def test_a_failing_outside_program_is_one_sentence_not_a_traceback() -> None:
    try:
        subprocess.run(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", "/no/such/input.wav", "x.mp3"],
            capture_output=True,
            check=True,
            timeout=60,
        )
    except subprocess.CalledProcessError as error:
        sentence = services.outside_program_failed(error)
    assert sentence.startswith("ffmpeg failed while the publication was built (")
    assert "No such file" in sentence and "\n" not in sentence
