from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "coproduce.stories"
    verbose_name = _("Stories")

    def ready(self) -> None:
        from coproduce.stories import archive_parts, demo, evidence, rights, sections  # noqa: F401
