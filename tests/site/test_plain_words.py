"""Forms speak plainly: no framework default message is left, plurals agree, and a mislabelled
upload or CSV value gets a sentence that says what to do."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.conversations import seeds
from coproduce.conversations import services as conversation_services
from coproduce.core.errors import InvalidInput
from coproduce.studies.forms import PlainWords, default_messages
from coproduce.studies.models import Role
from tests.support.factories import client_for, study_with_team

pytestmark = pytest.mark.django_db
APPS = ("studies", "conversations", "stories")


def every_form() -> list[type]:
    for app in APPS:
        importlib.import_module(f"coproduce.{app}.forms")
    found, todo = [], [PlainWords]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_form_of_every_app_speaks_plainly() -> None:
    forms = every_form()
    assert len(forms) >= 15
    for app in APPS:
        module = importlib.import_module(f"coproduce.{app}.forms")
        for name, kind in inspect.getmembers(module, inspect.isclass):
            if name.endswith("Form") and kind.__module__ == module.__name__:
                assert issubclass(kind, PlainWords), f"{name} does not use PlainWords"
    for kind in forms:
        needs_sectors = any(
            "sectors" in inspect.signature(k.__init__).parameters for k in kind.__mro__
        )
        form = kind(sectors=[]) if needs_sectors else kind()
        for name, field in form.fields.items():
            defaults = default_messages(field)
            for code, message in field.error_messages.items():
                if code in ("required", "max_length", "invalid", "invalid_choice"):
                    assert str(message) != str(defaults.get(code)), (kind.__name__, name, code)


def test_pages_answer_in_plain_words_with_plurals_that_agree() -> None:
    study, team = study_with_team()
    owner = client_for(team[Role.OWNER])
    made = owner.post(f"/studies/{study.slug}/conversations/new/", {"question": "x" * 501})
    page = made.content.decode()
    assert "Ensure this value" not in page and "This field is required" not in page
    assert "can be at most 500 characters (it has 501)" in page
    conversation = conversation_services.create_conversation(study, team[Role.OWNER], "Why?")
    url = f"/studies/{study.slug}/conversations/{conversation.code}/"
    one = owner.post(url, {"statements": "Just one."}, follow=True).content.decode()
    assert "Added 1 seed statement." in one
    nothing = owner.post(url, {"action": "upload"}).content.decode()
    assert "Choose the CSV file to upload." in nothing
    assert nothing.count("error-message") == 1  # on the upload, not on the text box
    maybe = SimpleUploadedFile("s.csv", b"text,meta\nBuses,maybe\n", "text/csv")
    refused = owner.post(url, {"action": "upload", "file": maybe}).content.decode()
    assert "“meta” is “maybe”; write yes or no" in refused


def test_a_meta_value_that_is_neither_yes_nor_no_is_refused() -> None:
    study, team = study_with_team()
    conversation = conversation_services.create_conversation(study, team[Role.OWNER], "Why?")
    with pytest.raises(InvalidInput, match="Line 2: “meta” is “maybe”"):
        seeds.read_seed_csv(conversation, b"text,meta\nBuses,maybe\nTrains,no\n")
    kept = seeds.read_seed_csv(conversation, b"text,meta\nBuses,Yes\nTrains,\n")
    assert [s.status for s in kept] == ["meta", "approved"]
