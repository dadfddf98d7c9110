from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseStudiesConfig(AppConfig):
    name = "coproduce.casestudies"
    verbose_name = _("Case studies")

    def ready(self) -> None:
        from coproduce.casestudies import archive_parts, demo, evidence, rights, sections  # noqa: F401
