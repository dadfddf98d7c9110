"""The few kinds of problem Coproduce reports to people.

Each message is one sentence that says what is wrong, where, and what to do. Every surface
(CLI, HTML page, JSON API) translates these once, in one place.
"""


class CoproduceError(Exception):
    """A problem a person can fix; str(error) is the sentence to show them."""


class ConfigurationError(CoproduceError):
    """A setting (environment variable, CLI option, data directory) is wrong."""


class NotFound(CoproduceError):
    """Something named by the user does not exist."""


class Conflict(CoproduceError):
    """The request clashes with what is already there (a duplicate slug, say)."""


class InvalidInput(CoproduceError):
    """A file or form value cannot be used as it is."""


class TooMany(CoproduceError):
    """Over a limit on how much one person or address may send (answered with 429)."""
