"""The WSGI application that `coproduce serve` hands to the HTTP server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.site.settings")
django_application = get_wsgi_application()

from coproduce.conversations.intake import VoteIntake  # noqa: E402 - needs Django set up

application = VoteIntake(django_application)
