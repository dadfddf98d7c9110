from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "coproduce.publications"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from coproduce.publications import archive_parts, demo, sections  # noqa: F401
