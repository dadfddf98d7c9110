from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodingConfig(AppConfig):
    name = "coproduce.coding"
    verbose_name = _("Coding, themes and findings")

    def ready(self) -> None:
        from coproduce.coding import archive_parts, demo, evidence, rights, sections, signals  # noqa: F401
