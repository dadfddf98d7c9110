"""Creating team members' accounts, with Django's password rules applied."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from coproduce.accounts.models import User, normalise_email
from coproduce.core.errors import Conflict, InvalidInput


def create_account(email: str, password: str, name: str = "", *, superuser: bool = False) -> User:
    """Create a team member's account after checking the address and the password."""
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(
            f"{email!r} is not an e-mail address; give one like name@example.org."
        ) from error
    if User.objects.filter(email=email).exists():
        raise Conflict(f"An account for {email} already exists; sign in with it instead.")
    candidate = User(email=email, name=name)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise InvalidInput(f"That password cannot be used: {' '.join(error.messages)}") from error
    with transaction.atomic():
        if superuser:
            return User.objects.create_superuser(email, password, name=name)
        return User.objects.create_user(email, password, name=name)
