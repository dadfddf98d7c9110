"""Study services: creating, editing, the team, participants and consent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.accounts.models import User
from coproduce.core.errors import Conflict, InvalidInput, NotFound
from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.studies import services
from coproduce.studies.models import Invitation, Membership, Participant, Role
from coproduce.studies.values import default_values
from tests.support.factories import account, study_with_team

pytestmark = pytest.mark.django_db


def test_new_study_has_owner_values_and_consent_text() -> None:
    owner = account("owner@example.org")
    study = services.create_study(owner, "Measuring success together")
    assert study.slug == "measuring-success-together"
    assert Membership.objects.get(study=study).role == Role.OWNER
    assert study.values == default_values() and len(study.values) == 5
    assert services.current_consent_text(study).version == 1


def test_duplicate_slug_is_a_conflict() -> None:
    owner = account("owner@example.org")
    services.create_study(owner, "One", slug="shared")
    with pytest.raises(Conflict, match="'shared' already exists"):
        services.create_study(owner, "Two", slug="shared")


def test_slugs_are_made_unique_from_titles() -> None:
    owner = account("owner@example.org")
    assert services.create_study(owner, "Same title").slug == "same-title"
    assert services.create_study(owner, "Same title").slug == "same-title-2"


def test_blank_title_is_refused() -> None:
    with pytest.raises(InvalidInput, match="needs a title"):
        services.create_study(account("o@example.org"), "   ")


def test_unknown_study_is_not_found() -> None:
    with pytest.raises(NotFound, match="list-studies"):
        services.get_study("nowhere")


def test_only_editors_may_update() -> None:
    study, team = study_with_team()
    services.update_study(study, team[Role.CO_RESEARCHER], summary="Co-researchers edit too.")
    study.refresh_from_db()
    assert study.summary == "Co-researchers edit too."
    for role in (Role.FACILITATOR, Role.OBSERVER):
        with pytest.raises(PermissionDenied):
            services.update_study(study, team[role], summary="no")


def test_inviting_an_existing_account_adds_them_and_a_new_one_gets_a_link() -> None:
    study, team = study_with_team()
    newcomer = account("new@example.org")
    assert isinstance(
        services.invite(study, team[Role.OWNER], "New@Example.org ", Role.OBSERVER), Membership
    )
    assert Membership.objects.get(study=study, user=newcomer).role == Role.OBSERVER
    invitation = services.invite(study, team[Role.OWNER], "someone@example.org", Role.FACILITATOR)
    assert isinstance(invitation, Invitation)
    # A link sent to one address is not accepted by another account.
    with pytest.raises(PermissionDenied, match="sign in with that address"):
        services.accept_invitation(services.open_invitation(invitation.token), newcomer)
    someone = account("someone@example.org")
    Membership.objects.create(study=study, user=someone, role=Role.OBSERVER)
    member = services.accept_invitation(services.open_invitation(invitation.token), someone)
    assert member.role == Role.OBSERVER  # already in the team: the role they have is kept
    with pytest.raises(NotFound, match="not valid or has been used"):
        services.open_invitation(invitation.token)


def test_only_owners_manage_the_team_and_a_study_keeps_an_owner() -> None:
    study, team = study_with_team()
    with pytest.raises(PermissionDenied):
        services.invite(study, team[Role.RESEARCHER], "x@example.org", Role.OBSERVER)
    with pytest.raises(Conflict, match="already in this study's team"):
        services.invite(study, team[Role.OWNER], team[Role.OBSERVER].email, Role.OBSERVER)
    with pytest.raises(InvalidInput, match="not a team role"):
        services.invite(study, team[Role.OWNER], "y@example.org", "boss")
    with pytest.raises(Conflict, match="at least one owner"):
        services.change_role(study, team[Role.OWNER], team[Role.OWNER], Role.OBSERVER)
    services.change_role(study, team[Role.OWNER], team[Role.OBSERVER], Role.RESEARCHER)
    assert Membership.objects.get(study=study, user=team[Role.OBSERVER]).role == Role.RESEARCHER


def test_joining_gives_a_pseudonym_and_records_consent() -> None:
    study, _ = study_with_team()
    participant = services.join(study, ConsentLevel.QUOTE)
    assert participant.pseudonym.startswith("P-") and len(participant.pseudonym) == 8
    assert participant.name == "" and participant.consent_level() == ConsentLevel.QUOTE
    consent = participant.current_consent()
    assert consent is not None and consent.consent_text.version == 1


def test_the_same_xid_is_the_same_participant() -> None:
    study, _ = study_with_team()
    first = services.join(study, ConsentLevel.STORE, xid="site-user-42")
    again = services.join(study, ConsentLevel.PUBLISH, xid="site-user-42")
    assert first.pk == again.pk
    assert again.consent_level() == ConsentLevel.PUBLISH
    assert Participant.objects.filter(study=study).count() == 1


def test_withdrawal_is_recorded_and_kept_in_the_history() -> None:
    study, team = study_with_team()
    participant = services.join(
        study, ConsentLevel.PUBLISH, channel=Channel.PAPER, recorded_by=team[Role.FACILITATOR]
    )
    services.withdraw(participant)
    assert participant.consent_level() == ConsentLevel.WITHDRAWN
    assert participant.consents.count() == 1


def test_bad_joins_are_refused() -> None:
    study, _ = study_with_team()
    with pytest.raises(InvalidInput, match="Choose how"):
        services.join(study, 0)
    with pytest.raises(InvalidInput, match="longer than 200"):
        services.join(study, ConsentLevel.STORE, xid="x" * 201)
    study.open_to_participants = False
    study.save()
    with pytest.raises(Conflict, match="not taking new participants"):
        services.join(study, ConsentLevel.STORE)


def test_the_team_records_a_withdrawal_only_with_the_right_to_record_consent() -> None:
    from django.core.exceptions import PermissionDenied

    study, team = study_with_team()
    person = services.join(study, ConsentLevel.QUOTE)
    with pytest.raises(PermissionDenied):
        services.record_withdrawal(person, team[Role.OBSERVER])
    assert person.consent_level() == ConsentLevel.QUOTE
    services.record_withdrawal(person, team[Role.FACILITATOR])
    assert person.consent_level() == ConsentLevel.WITHDRAWN


def test_an_invited_person_makes_their_account_through_the_account_rules() -> None:
    study, team = study_with_team()
    invitation = services.invite(study, team[Role.OWNER], "new@food-study.example", Role.RESEARCHER)
    with pytest.raises(InvalidInput, match="That password cannot be used"):
        services.accept_with_new_account(invitation, "New Person", "12345678")
    assert not User.objects.filter(email="new@food-study.example").exists()
    account = services.accept_with_new_account(invitation, "New Person", "a-long-test-passphrase")
    assert account.has_perm("studies.change_study", study)
    again = services.invite(study, team[Role.OWNER], "other@food-study.example", Role.OBSERVER)
    account_for_other = services.accept_with_new_account(again, "Other", "a-long-test-passphrase")
    with pytest.raises(Conflict, match="already have an account"):
        services.accept_with_new_account(again, "Other", "a-long-test-passphrase")
    assert account_for_other.memberships.get().role == Role.OBSERVER


def test_team_access_can_be_taken_back_and_every_change_is_recorded() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coproduce.studies.models import TeamChange

    study, team = study_with_team()
    owner = team[Role.OWNER]
    with pytest.raises(InvalidInput, match="'king' is not a team role"):
        services.change_role(study, owner, team[Role.OBSERVER], "king")
    with pytest.raises(InvalidInput, match="not a team role"):
        services.invite(study, owner, "x@example.org", "")
    first = services.invite(study, owner, "x@example.org", Role.OBSERVER)
    second = services.invite(study, owner, "x@example.org", Role.RESEARCHER)
    assert isinstance(first, Invitation) and isinstance(second, Invitation)
    with pytest.raises(NotFound, match="taken back"):
        services.open_invitation(first.token)  # only the newest link works
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(second, team[Role.RESEARCHER])
    services.revoke_invitation(second, owner)
    with pytest.raises(NotFound, match="taken back"):
        services.open_invitation(second.token)
    old = services.invite(study, owner, "late@example.org", Role.OBSERVER)
    assert isinstance(old, Invitation)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(NotFound, match="expired on"):
        services.open_invitation(old.token)
    fresh = services.invite(study, owner, "late@example.org", Role.OBSERVER)
    assert isinstance(fresh, Invitation)
    assert fresh.expires_at - fresh.created_at == timedelta(days=14)
    # A link sent to one address is not accepted by another account.
    with pytest.raises(PermissionDenied, match=r"This invitation is for late@example\.org"):
        services.accept_invitation(services.open_invitation(fresh.token), team[Role.OBSERVER])
    with pytest.raises(PermissionDenied):
        services.remove_member(study, team[Role.RESEARCHER], team[Role.OBSERVER])
    services.remove_member(study, owner, team[Role.OBSERVER])
    assert not team[Role.OBSERVER].has_perm("studies.view_study", study)
    with pytest.raises(Conflict, match="at least one owner"):
        services.remove_member(study, owner, owner)
    services.change_role(study, owner, team[Role.FACILITATOR], Role.RESEARCHER)
    kinds = list(TeamChange.objects.filter(study=study).values_list("kind", "about"))
    assert kinds[:4] == [
        ("role_changed", team[Role.FACILITATOR].email),
        ("removed", team[Role.OBSERVER].email),
        ("invited", "late@example.org"),
        ("invited", "late@example.org"),
    ]
    assert ("revoked", "x@example.org") in kinds
    assert all(c.by == owner for c in TeamChange.objects.filter(study=study))


def test_after_withdrawing_the_same_xid_joins_afresh_and_cannot_reconsent_the_old_record() -> None:
    study, _team = study_with_team()
    first = services.join(study, ConsentLevel.QUOTE, xid="site-42")
    services.withdraw(first)
    again = services.join(study, ConsentLevel.PUBLISH, xid="site-42")
    assert again.pk != first.pk and again.pseudonym != first.pseudonym
    first.refresh_from_db()
    assert first.xid is None and first.consent_level() == ConsentLevel.WITHDRAWN
    assert first.consents.count() == 1  # the record of consent and withdrawal is kept
