"""The one WSGI entry point gunicorn serves for every variant; the settings module picks the backend."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backends.allauth_restauth.settings")
if os.environ.get("AUTHCMP_SETTINGS_READS"):  # set by the harness; recorded in the test profile only
    from backends.common import reads

    reads.install(os.environ["AUTHCMP_SETTINGS_READS"])
application = get_wsgi_application()
