"""Default values and principles for a new study, editable per study.

The statements are the Co-Production Collective's (UCL) published values for co-production,
"working together in equal partnership and for equal benefit"; the short titles are ours.
"""

from django.utils.translation import gettext_lazy as _

CO_PRODUCTION_VALUES = [
    (_("Valuing diversity"), _("Valuing diversity of knowledge, experience and perspective.")),
    (
        _("Building relationships"),
        _("Building mutually beneficial relationships based on honesty and trust."),
    ),
    (
        _("Removing barriers"),
        _(
            "Removing barriers to participation and recognising people's strengths and "
            "supporting their development."
        ),
    ),
    (
        _("Sharing power"),
        _("Addressing power imbalances and hierarchies, sharing roles and responsibilities."),
    ),
    (
        _("Learning together"),
        _(
            "Continuous reflection, learning and improvement, embracing new ideas and ways of "
            "working."
        ),
    ),
]


def default_values() -> list[dict[str, str]]:
    """The five value statements as a new study's editable starting point."""
    return [{"title": str(title), "text": str(text)} for title, text in CO_PRODUCTION_VALUES]


DEFAULT_CONSENT_TEXT = _(
    "Taking part is your choice. We will keep what you share safely and use a made-up code "
    "instead of your name. You choose below how we may use what you share. You can change your "
    "mind and withdraw at any time; from then on nothing you shared will appear in anything we "
    "publish."
)
DEFAULT_KEEPING = _(
    "We keep what you share for as long as the study needs it. After the study ends, the team "
    "removes recordings and the words you used as you gave them, keeping only what has been "
    "checked and has nothing in it that names you."
)
DEFAULT_WITHDRAWAL = _(
    "You can withdraw at any time from your page in the study, without giving a reason. From "
    "then on nothing you shared is shown or used in anything we publish. You can also see "
    "everything we hold about you, and ask us to erase it."
)
