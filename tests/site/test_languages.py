"""Languages: a picker on every page, Welsh for the whole of a participant's way through a study,
and the compiled catalogue kept in step with its source."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from coproduce.conversations import services as conversation_services
from coproduce.studies.models import Role
from tests.support.factories import study_with_team

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "coproduce"
CATALOGUE = SRC / "site" / "locale" / "cy" / "LC_MESSAGES"
# Every page a participant sees, and the pieces they are built from.
PARTICIPANT_TEMPLATES = [
    *(SRC / "studies" / "templates" / "studies").glob("participant_*.html"),
    *(SRC / "studies" / "templates" / "studies").glob("join.html"),
    *(SRC / "studies" / "templates" / "studies").glob("my_data.html"),
    *(SRC / "studies" / "templates" / "studies").glob("erase.html"),
    *(SRC / "studies" / "templates" / "studies" / "includes").glob("consent_*.html"),
    *(
        SRC / "conversations" / "templates" / "conversations" / name
        for name in ("start.html", "vote.html", "write.html", "about.html", "withdrawn.html")
    ),
    SRC / "conversations" / "templates" / "conversations" / "for_you.html",
    SRC / "publications" / "templates" / "publications" / "for_you.html",
    SRC / "publications" / "templates" / "publications" / "public.html",
    *(SRC / "conversations" / "templates" / "conversations" / "includes").glob("*.html"),
    *(
        SRC / "stories" / "templates" / "stories" / name
        for name in (
            "tell.html",
            "thanks.html",
            "mine.html",
            "story_fields.html",
            "withdraw_confirm.html",
            "for_you.html",
        )
    ),
    SRC / "site" / "templates" / "base.html",
    SRC / "site" / "templates" / "404.html",
    *(SRC / "site" / "templates" / "includes").glob("*.html"),
]
TRANSLATE = re.compile(r"""{% translate ["'](.+?)["'] %}""")


def test_every_string_a_participant_reads_has_a_welsh_translation() -> None:
    untranslated = []
    with translation.override("cy"):
        for template in PARTICIPANT_TEMPLATES:
            for text in TRANSLATE.findall(template.read_text(encoding="utf-8")):
                if translation.gettext(text) == text and text not in ("Coproduce",):
                    untranslated.append(f"{template.name}: {text}")
    assert len(PARTICIPANT_TEMPLATES) >= 20
    assert not untranslated, "\n".join(untranslated)


def test_a_participant_picks_welsh_on_any_page_and_keeps_it() -> None:
    study, team = study_with_team()
    conversation = conversation_services.create_conversation(study, team[Role.OWNER], "Pam?")
    conversation_services.add_seed_statements(conversation, team[Role.OWNER], ["Bysiau."])
    client = Client()
    page = client.get(f"/join/{study.join_code}/").content.decode()
    assert f'href="/language/cy/?next=/join/{study.join_code}/"' in page and "Cymraeg" in page
    chosen = client.get(f"/language/cy/?next=/join/{study.join_code}/")
    assert chosen.status_code == 302 and chosen["Location"] == f"/join/{study.join_code}/"
    page = client.get(f"/join/{study.join_code}/").content.decode()
    assert '<html lang="cy">' in page and "Cyn i chi gymryd rhan" in page
    joined = client.post(f"/join/{study.join_code}/", {"level": "3"})
    assert "Ticiwch y blwch i ddweud eich bod yn cytuno i gymryd rhan." in joined.content.decode()
    client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    home = client.get(f"/join/{study.join_code}/you/").content.decode()
    assert "Eich rhan chi yn yr astudiaeth" in home and "Mae 1 datganiad yn aros amdanoch" in home
    vote = client.get(f"/c/{conversation.code}/vote/").content.decode()
    assert "Cytuno" in vote and "Anghytuno" in vote and "Datganiad 1 o 1" in vote
    english = client.get(f"/language/en-gb/?next=/c/{conversation.code}/vote/", follow=True)
    assert "Agree" in english.content.decode()


def test_the_picker_goes_nowhere_else_and_knows_its_languages() -> None:
    client = Client()
    assert client.get("/language/xx/").status_code == 404
    away = client.get("/language/cy/?next=https://elsewhere.example/")
    assert away.status_code == 302 and away["Location"] == "/"


def test_the_compiled_welsh_catalogue_matches_its_source(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed (apt-get install gettext)")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(CATALOGUE / "django.po")], check=True)
    assert fresh.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), "run `make messages`"
