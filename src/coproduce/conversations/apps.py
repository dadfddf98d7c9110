from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "coproduce.conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from coproduce.conversations import archive_parts, demo, evidence, rights, sections  # noqa: F401
        from coproduce.studies.signals import consent_withdrawn

        consent_withdrawn.connect(reanalyse_after_withdrawal, dispatch_uid="opinion-withdrawal")


def reanalyse_after_withdrawal(sender: object, participant: object, **kwargs: object) -> None:
    """Someone withdrew: their votes must leave every conversation's analysis."""
    from coproduce.conversations.models import Conversation
    from coproduce.conversations.tasks import request_analysis

    study_id = getattr(participant, "study_id", None)
    if study_id is None:
        return
    for conversation_id in Conversation.objects.filter(study_id=study_id).values_list(
        "pk", flat=True
    ):
        request_analysis(conversation_id)
