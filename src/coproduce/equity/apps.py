from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquityConfig(AppConfig):
    name = "coproduce.equity"
    verbose_name = _("Voice equity and member checking")

    def ready(self) -> None:
        from coproduce.equity import archive_parts, demo, sections  # noqa: F401
