"""allauth_headless-session_browser_client: session mode serving headless's "browser" client. Observation only.

The ⚙ of cookie_transport names HEADLESS_CLIENTS, which the project narrows to ("app",): the app client carries its
session in the X-Session-Token header. The browser client is the other side of that setting: the same flows under
_allauth/browser/v1/, where the session travels in Django's session cookie and every unsafe request needs Django's
CSRF token. This mode serves it alone, so the transport test observes what the setting changes.
"""

from __future__ import annotations

from backends.allauth_headless.settings import *  # noqa: F403 -- session mode, one setting flipped

HEADLESS_CLIENTS = ("browser",)
