"""Study pages through HTTP: what each role may see and do, and participants' own pages."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services
from coproduce.studies.models import Participant, Role, Study
from tests.support.factories import PASSWORD, account, client_for, study_with_team

pytestmark = pytest.mark.django_db

TEAM_PAGES = ["study", "study-team"]


def test_home_page_invites_sign_in() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_sign_in_with_email_and_password() -> None:
    account("Ann@Example.org")
    response = Client().post(
        "/accounts/login/", {"username": "ann@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    bad = Client().post("/accounts/login/", {"username": "ann@example.org", "password": "wrong"})
    assert bad.status_code == 200 and b"There is a problem" in bad.content


@pytest.mark.parametrize("role", Role.values)
def test_every_role_sees_the_study(role: str) -> None:
    study, team = study_with_team()
    response = client_for(team[role]).get(f"/studies/{study.slug}/")
    assert response.status_code == 200
    assert study.title.encode() in response.content


@pytest.mark.parametrize(
    ("role", "may_edit", "may_see_participants"),
    [
        (Role.OWNER, True, True),
        (Role.RESEARCHER, True, True),
        (Role.CO_RESEARCHER, True, True),
        (Role.FACILITATOR, False, True),
        (Role.OBSERVER, False, False),
    ],
)
def test_role_permissions(role: str, may_edit: bool, may_see_participants: bool) -> None:
    study, team = study_with_team()
    client = client_for(team[role])
    edit = client.post(
        f"/studies/{study.slug}/edit/",
        {"title": "Changed", "values-TOTAL_FORMS": "0", "values-INITIAL_FORMS": "0"},
    )
    study.refresh_from_db()
    if may_edit:
        assert edit.status_code == 302 and study.title == "Changed"
    else:
        assert edit.status_code == 403 and study.title != "Changed"
    people = client.get(f"/studies/{study.slug}/participants/")
    assert people.status_code == (200 if may_see_participants else 403)


def test_only_owner_invites() -> None:
    study, team = study_with_team()
    for role in (Role.RESEARCHER, Role.OBSERVER):
        response = client_for(team[role]).post(
            f"/studies/{study.slug}/team/", {"email": "x@example.org", "role": Role.OBSERVER}
        )
        assert response.status_code == 403
    response = client_for(team[Role.OWNER]).post(
        f"/studies/{study.slug}/team/",
        {"email": "x@example.org", "role": Role.OBSERVER},
        follow=True,
    )
    assert b"Send this link to x@example.org" in response.content


def test_invitation_link_creates_an_account_and_joins_the_team() -> None:
    study, team = study_with_team()
    invitation = services.invite(study, team[Role.OWNER], "nia@example.org", Role.CO_RESEARCHER)
    client = Client()
    weak = client.post(f"/invitations/{invitation.token}/", {"name": "Nia", "password": "123"})
    assert weak.status_code == 200 and b"There is a problem" in weak.content
    response = client.post(
        f"/invitations/{invitation.token}/", {"name": "Nia", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(f"/studies/{study.slug}/").status_code == 200
    assert study.memberships.get(user__email="nia@example.org").role == Role.CO_RESEARCHER


def test_a_member_of_one_study_cannot_see_another() -> None:
    study, _ = study_with_team("one")
    other, other_team = study_with_team("two")
    client = client_for(other_team[Role.OWNER])
    for path in ("", "edit/", "team/", "participants/"):
        assert client.get(f"/studies/{study.slug}/{path}").status_code == 404
    home = client.get("/")
    assert other.title.encode() in home.content and study.title.encode() not in home.content


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    study, _ = study_with_team()
    response = Client().get(f"/studies/{study.slug}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_study_through_the_page() -> None:
    user = account("maker@example.org")
    client = client_for(user)
    response = client.post("/studies/new/", {"title": "Young carers' voices", "slug": ""})
    assert response.status_code == 302
    study = Study.objects.get(slug="young-carers-voices")
    assert study.memberships.get().user == user
    duplicate = client.post("/studies/new/", {"title": "Again", "slug": "young-carers-voices"})
    assert duplicate.status_code == 200 and b"already exists" in duplicate.content
    backwards = client.post(
        "/studies/new/", {"title": "Dates", "starts_on": "2026-05-01", "ends_on": "2026-01-01"}
    )
    assert b"on or after the start date" in backwards.content


def test_values_are_editable() -> None:
    study, team = study_with_team()
    data = {
        "title": study.title,
        "values-TOTAL_FORMS": "2",
        "values-INITIAL_FORMS": "0",
        "values-0-title": "Fair pay",
        "values-0-text": "Everyone is paid for their time.",
        "values-1-title": "Gone",
        "values-1-text": "Remove me",
        "values-1-DELETE": "on",
    }
    assert (
        client_for(team[Role.OWNER]).post(f"/studies/{study.slug}/edit/", data).status_code == 302
    )
    study.refresh_from_db()
    assert study.values == [{"title": "Fair pay", "text": "Everyone is paid for their time."}]


def test_participant_joins_without_an_account_and_sees_only_their_own_page() -> None:
    study, _ = study_with_team()
    ann, ben = Client(), Client()
    landing = ann.get(f"/join/{study.join_code}/")
    assert landing.status_code == 200 and b"Before you take part" in landing.content
    missing = ann.post(f"/join/{study.join_code}/", {})
    assert missing.status_code == 400
    assert b"Choose how we may use what you share." in missing.content
    assert b"Tick the box" in missing.content
    assert ann.post(f"/join/{study.join_code}/", {"level": "2", "agree": "on"}).status_code == 302
    assert (
        ben.post(
            f"/join/{study.join_code}/?xid=ben-1", {"level": "3", "agree": "on", "xid": "ben-1"}
        ).status_code
        == 302
    )
    # A bare xid in the study's join link is not taken: it could be anyone's.
    assert not Participant.objects.filter(study=study, xid="ben-1").exists()
    ann_p, ben_p = sorted(Participant.objects.filter(study=study), key=lambda p: p.consent_level())
    ann_page = ann.get(f"/join/{study.join_code}/you/").content.decode()
    assert ann_p.pseudonym in ann_page and ben_p.pseudonym not in ann_page
    # Participants have no way into team pages, including the participant list.
    assert ann.get(f"/studies/{study.slug}/participants/").status_code == 302
    assert Client().get(f"/join/{study.join_code}/you/").status_code == 302


def test_participant_withdraws() -> None:
    study, _ = study_with_team()
    client = Client()
    client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    assert client.post(f"/join/{study.join_code}/withdraw/").status_code == 302
    participant = Participant.objects.get(study=study)
    assert participant.consent_level() == ConsentLevel.WITHDRAWN
    home = client.get(f"/join/{study.join_code}/you/").content.decode()
    assert "You have withdrawn from this study" in home and "Take part again" in home
    assert "Tell a story" not in home
    # Taking part again is joining afresh, under a new code.
    again = client.get(f"/join/{study.join_code}/").content.decode()
    assert "You withdrew from this study" in again
    client.post(f"/join/{study.join_code}/", {"level": "2", "agree": "on"})
    fresh = Participant.objects.filter(study=study).exclude(pk=participant.pk).get()
    assert fresh.consent_level() == ConsentLevel.QUOTE
    assert fresh.pseudonym in client.get(f"/join/{study.join_code}/you/").content.decode()
    # Joined already: the join page leads home instead of making a second code.
    assert (
        client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"}).status_code == 302
    )
    assert Participant.objects.filter(study=study).count() == 2


def test_facilitator_records_a_withdrawal_but_observer_cannot() -> None:
    study, team = study_with_team()
    participant = services.join(study, ConsentLevel.PUBLISH)
    url = f"/studies/{study.slug}/participants/{participant.pseudonym}/"
    assert client_for(team[Role.OBSERVER]).post(url).status_code == 403
    facilitator = client_for(team[Role.FACILITATOR])
    asked = facilitator.post(url, {"action": "withdraw"}, follow=True).content.decode()
    assert "Tick the box to confirm they asked to withdraw." in asked
    assert participant.consent_level() == ConsentLevel.PUBLISH
    assert facilitator.post(url, {"action": "withdraw", "confirm": "yes"}).status_code == 302
    assert participant.consent_level() == ConsentLevel.WITHDRAWN


def test_user_text_is_escaped() -> None:
    user = account("x@example.org")
    study = services.create_study(user, "<script>alert(1)</script>", slug="xss")
    page = client_for(user).get(f"/studies/{study.slug}/").content
    assert b"<script>alert(1)</script>" not in page and b"&lt;script&gt;" in page


def test_admin_is_for_staff_only() -> None:
    _study, team = study_with_team()
    assert client_for(team[Role.OWNER]).get("/admin/").status_code == 302
    staff = account("staff@example.org")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    assert client_for(staff).get("/admin/studies/study/").status_code == 200


def test_editors_add_and_remove_partner_organisations() -> None:
    study, team = study_with_team()
    url = f"/studies/{study.slug}/organisations/"
    owner = client_for(team[Role.OWNER])
    blank = owner.post(url, {"name": "", "kind": "vcse"})
    assert b"There is a problem" in blank.content
    response = owner.post(url, {"name": "Food Hub", "kind": "vcse", "website": "foodhub.example"})
    assert response.status_code == 302
    organisation = study.organisations.get()
    assert organisation.website == "https://foodhub.example"
    observer = client_for(team[Role.OBSERVER])
    assert b"Food Hub" in observer.get(url).content
    assert observer.post(url, {"remove": organisation.pk}).status_code == 403
    assert owner.post(url, {"remove": organisation.pk}).status_code == 302
    assert study.organisations.count() == 0


def test_facilitator_records_a_paper_participant() -> None:
    study, team = study_with_team()
    url = f"/studies/{study.slug}/participants/"
    facilitator = client_for(team[Role.FACILITATOR])
    response = facilitator.post(url, {"channel": "paper", "level": "2", "role": "lived_experience"})
    assert response.status_code == 302
    participant = Participant.objects.get(study=study)
    consent = participant.current_consent()
    assert participant.channel == "paper" and participant.role == "lived_experience"
    assert consent is not None and consent.recorded_by == team[Role.FACILITATOR]
    web = facilitator.post(url, {"channel": "web", "level": "2", "role": "other"})
    assert web.status_code == 200 and b"There is a problem" in web.content


def test_participant_list_takes_a_fixed_number_of_queries(
    django_assert_max_num_queries: object,
) -> None:
    study, team = study_with_team()
    for _ in range(30):
        services.join(study, ConsentLevel.QUOTE)
    client = client_for(team[Role.OWNER])
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(f"/studies/{study.slug}/participants/").status_code == 200


def test_missing_pages_say_what_to_do() -> None:
    response = Client().get("/join/not-a-real-code/")
    assert response.status_code == 404
    assert b"ask them for a new one" in response.content


def test_every_team_page_has_a_plain_title_and_one_main_heading() -> None:
    study, team = study_with_team()
    client = client_for(team[Role.OWNER])
    for path in ("", "edit/", "team/", "participants/", "organisations/"):
        html = client.get(f"/studies/{study.slug}/{path}").content.decode()
        title = html.split("<title>")[1].split("</title>")[0]
        assert "<" not in title and "Coproduce" in title, (path, title)
        assert html.count("<h1") == 1, path


def test_the_owner_removes_members_and_takes_back_invitations_on_the_team_page() -> None:
    study, team = study_with_team()
    owner = client_for(team[Role.OWNER])
    page = f"/studies/{study.slug}/team/"
    invitation = services.invite(study, team[Role.OWNER], "x@example.org", Role.OBSERVER)
    shown = owner.get(page).content.decode()
    assert "works until" in shown and "Take back" in shown
    denied = client_for(team[Role.RESEARCHER]).post(
        page, {"action": "remove", "member": team[Role.OBSERVER].pk}
    )
    assert denied.status_code == 403
    removed = owner.post(page, {"action": "remove", "member": team[Role.OBSERVER].pk}, follow=True)
    assert b"Removed from the team." in removed.content
    assert client_for(team[Role.OBSERVER]).get(f"/studies/{study.slug}/").status_code == 404
    owner.post(page, {"action": "revoke", "invitation": invitation.pk})
    gone = Client().get(f"/invitations/{invitation.token}/")
    assert gone.status_code == 404 and b"taken back" in gone.content
    bad = owner.post(page, {"action": "remove", "member": "abc"})
    assert bad.status_code == 404
    changes = owner.get(page).content.decode()
    assert "Changes to the team" in changes and "Removed from the team" in changes
    # A signed-in account with another address cannot take someone else's invitation.
    other = services.invite(study, team[Role.OWNER], "y@example.org", Role.OBSERVER)
    taken = client_for(team[Role.RESEARCHER]).post(f"/invitations/{other.token}/")
    assert taken.status_code == 403


def test_a_conversation_link_takes_an_xid_only_signed_by_the_embedding_site() -> None:
    from coproduce.conversations import services as conversation_services
    from coproduce.conversations.embedding import sign_xid

    study, team = study_with_team()
    conversation = conversation_services.create_conversation(study, team[Role.OWNER], "What?")
    start = f"/c/{conversation.code}/"
    bare = Client().get(start, {"xid": "site-9"})
    assert bare.status_code == 403
    forged = Client().post(
        f"{start}?xid=site-9&xid_signature={'0' * 64}", {"level": "3", "agree": "on"}
    )
    assert forged.status_code == 403
    assert not Participant.objects.filter(xid="site-9").exists()
    good = f"{start}?xid=site-9&xid_signature={sign_xid(conversation, 'site-9')}"
    assert Client().get(good).status_code == 200
    assert Client().post(good, {"level": "3", "agree": "on"}).status_code == 302
    assert Participant.objects.get(xid="site-9").consent_level() == 3
    # The team sees the secret and can replace it; a replaced secret's signatures stop working.
    owner = client_for(team[Role.OWNER])
    page = owner.get(f"/studies/{study.slug}/conversations/{conversation.code}/")
    assert conversation.embed_secret in page.content.decode()
    observer_page = client_for(team[Role.OBSERVER]).get(
        f"/studies/{study.slug}/conversations/{conversation.code}/"
    )
    assert conversation.embed_secret not in observer_page.content.decode()
    owner.post(
        f"/studies/{study.slug}/conversations/{conversation.code}/", {"action": "new-secret"}
    )
    assert Client().get(good).status_code == 403
