"""Small builders for test data, going through the same services the product uses."""

from __future__ import annotations

from coproduce.accounts.models import User
from coproduce.studies import services
from coproduce.studies.models import Membership, Role, Study

PASSWORD = "a-long-test-passphrase"


def account(email: str, name: str = "") -> User:
    return User.objects.create_user(email, PASSWORD, name=name or email.split("@")[0])


def study_with_team(slug: str = "food-study") -> tuple[Study, dict[str, User]]:
    """A study with one team member in every role."""
    team = {role: account(f"{role}@{slug}.example") for role in Role.values}
    study = services.create_study(team[Role.OWNER], f"Study {slug}", slug=slug)
    for role, user in team.items():
        if role != Role.OWNER:
            Membership.objects.create(study=study, user=user, role=role)
    return study, team
