from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiesConfig(AppConfig):
    name = "coproduce.studies"
    verbose_name = _("Studies")

    def ready(self) -> None:
        # Each app contributes its part of the archive and of the demo through one registry.
        from coproduce.studies import archive_parts, demo  # noqa: F401
