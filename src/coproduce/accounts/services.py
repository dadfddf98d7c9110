"""Creating team members' accounts, with Django's password rules applied."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from coproduce.accounts.models import User, normalise_email
from coproduce.core.errors import Conflict, InvalidInput


def new_address(email: str) -> str:
    """The address, normalised, if it is one and has no account yet; else one sentence."""
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(
            f"{email!r} is not an e-mail address; give one like name@example.org."
        ) from error
    if User.objects.filter(email=email).exists():
        raise Conflict(f"An account for {email} already exists; sign in with it instead.")
    return email


def check_password(password: str, user: User) -> None:
    """One sentence when Django's password rules refuse the password."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(f"That password cannot be used: {' '.join(error.messages)}") from error


def create_account_without_password(email: str, name: str = "") -> User:
    """An account made from the command line for a study's owner, who sets a password later
    (`coproduce set-password`); until then nobody can sign in with it."""
    user = User.objects.create_user(new_address(email), None, name=name)
    return user


def set_password(user: User, password: str) -> User:
    """Give the account a new password, checked against Django's password rules."""
    check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def create_account(email: str, password: str, name: str = "", *, superuser: bool = False) -> User:
    """Create a team member's account after checking the address and the password."""
    email = new_address(email)
    check_password(password, User(email=email, name=name))
    with transaction.atomic():
        if superuser:
            return User.objects.create_superuser(email, password, name=name)
        return User.objects.create_user(email, password, name=name)
