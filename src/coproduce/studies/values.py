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
