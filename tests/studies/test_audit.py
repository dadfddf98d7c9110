"""The audit log records who viewed restricted material, exported, moderated, withdrew or
erased; owners read it; nobody changes it."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.coding import qdpx
from coproduce.conversations import services as conversation_services
from coproduce.core.evidence import ConsentLevel
from coproduce.stories import services as story_services
from coproduce.studies import rights
from coproduce.studies import services as study_services
from coproduce.studies.models import AuditEvent, Role
from tests.support.factories import client_for, story, study_with_team

pytestmark = pytest.mark.django_db


def test_restricted_views_exports_moderation_withdrawals_and_erasure_are_recorded() -> None:
    study, team = study_with_team()
    owner, researcher = team[Role.OWNER], team[Role.RESEARCHER]
    told = story_services.tell_story(study, story(text="=cmd|' /C calc'!A0 is in my story."))
    client_for(researcher).get(f"/studies/{study.slug}/stories/{told.number}/")
    client_for(researcher).get(f"/studies/{study.slug}/coding/story:{told.pk}/")  # unchecked
    conversation = conversation_services.create_conversation(study, owner, "What helps?")
    person = study_services.join(study, ConsentLevel.PUBLISH)
    written = conversation_services.write_statement(conversation, person, "Shorter forms.")
    conversation_services.moderate(conversation, owner, [written.number], "approved")
    qdpx.export_qdpx(study, researcher)
    rights.data_for(person, team[Role.FACILITATOR])
    study_services.record_withdrawal(person, team[Role.FACILITATOR])
    other = study_services.join(study, ConsentLevel.QUOTE)
    rights.erase(other)
    log = [(e.actor_label, e.action, e.subject) for e in study.audit_events.order_by("at", "id")]
    assert log == [
        (researcher.email, "viewed", f"story {told.number}"),
        (researcher.email, "viewed", f"story:{told.pk}"),
        (owner.email, "moderated", f"statements {written.number} of {conversation.code}: approved"),
        (researcher.email, "exported", "coded project (.qdpx)"),
        (team[Role.FACILITATOR].email, "exported", f"data of participant {person.pseudonym}"),
        (team[Role.FACILITATOR].email, "withdrew", f"participant {person.pseudonym}"),
        ("the participant", "erased", f"participant {other.pseudonym}"),
    ]
    event = study.audit_events.first()
    assert event is not None
    event.subject = "something else"
    with pytest.raises(ValueError, match="never changed"):
        event.save()


def test_owners_read_the_log_on_its_page_and_as_csv() -> None:
    study, team = study_with_team()
    told = story_services.tell_story(study, story(text="@SUM(1+1) was what they said."))
    client_for(team[Role.RESEARCHER]).get(f"/studies/{study.slug}/stories/{told.number}/")
    AuditEvent.objects.create(
        study=study, actor_label="=HYPERLINK(evil)", action="viewed", subject="-2+3"
    )
    page = client_for(team[Role.OWNER]).get(f"/studies/{study.slug}/audit/")
    assert page.status_code == 200 and team[Role.RESEARCHER].email in page.content.decode()
    csv_file = client_for(team[Role.OWNER]).get(f"/studies/{study.slug}/audit/?format=csv")
    text = csv_file.content.decode()
    assert "'=HYPERLINK(evil)" in text and "'-2+3" in text
    assert client_for(team[Role.RESEARCHER]).get(f"/studies/{study.slug}/audit/").status_code == 403
    assert Client().get(f"/studies/{study.slug}/audit/").status_code == 302
