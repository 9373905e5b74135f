"""A small version table: the setting names and apps an earlier release of a library reads instead of today's,
and the middleware a later release refuses to start without.

The settings modules use today's names. The release-history runs (harness/history.py) serve the same settings on
an earlier release, which would silently ignore a name it does not know yet (the run's `settings_reads` record
shows it never read) or fail to import an app it does not ship. `translate(namespace)`, called at the end of a
settings module, rewrites today's names into the older ones the installed release reads, from the table below;
on the locked releases it changes nothing. `require(namespace)` works the other way, for older settings served on
today's releases (the 2021 tutorial's): it adds the middleware a release from then on refuses to start without, and
only when the history run asks for it (`REQUIRED_ENV`), so the settings as they are still show that they do not
start. Only the server's settings consult versions: the suite never does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import metadata
from typing import Any

Release = tuple[int, ...]


def release(distribution: str) -> Release:
    """The installed release of `distribution` as numbers ((0,) when it is not installed)."""
    try:
        text = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return (0,)
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def _login_methods(methods: Any) -> dict[str, Any]:
    names = set(methods)
    method = "username_email" if names == {"username", "email"} else next(iter(names))
    return {"ACCOUNT_AUTHENTICATION_METHOD": method}


def _signup_fields(fields: Any) -> dict[str, Any]:
    required = {field.rstrip("*") for field in fields if field.endswith("*")}
    return {"ACCOUNT_EMAIL_REQUIRED": "email" in required, "ACCOUNT_USERNAME_REQUIRED": "username" in required}


# today's setting -> (its library, the first release that reads it, the older settings that say the same)
RENAMED: dict[str, tuple[str, Release, Callable[[Any], dict[str, Any]]]] = {
    "ACCOUNT_LOGIN_METHODS": ("django-allauth", (65, 4), _login_methods),
    "ACCOUNT_SIGNUP_FIELDS": ("django-allauth", (65, 5), _signup_fields),
}
# an app in INSTALLED_APPS -> (its library, the first release that ships it)
APPS: dict[str, tuple[str, Release]] = {
    "dj_rest_auth.mfa": ("dj-rest-auth", (7, 2)),
}


def translate(namespace: dict[str, Any]) -> None:
    """Rewrite today's names in a settings module's globals into what the installed releases read."""
    for name, (distribution, first, older) in RENAMED.items():
        if name in namespace and release(distribution) < first:
            namespace.update(older(namespace.pop(name)))
    apps = namespace.get("INSTALLED_APPS", [])
    for app, (distribution, first) in APPS.items():
        if app in apps and release(distribution) < first:
            apps.remove(app)


# what a later release refuses to start without -> (the setting it goes in, its library, the first such release):
# allauth 0.56 raises ImproperlyConfigured("allauth.account.middleware.AccountMiddleware must be added to
# settings.MIDDLEWARE"); from 0.63 importing allauth.socialaccount's models without the app installed raises too
# (pennersr/django-allauth#3824), and dj-rest-auth's registration views import them.
REQUIRED: dict[str, tuple[str, str, Release]] = {
    "allauth.account.middleware.AccountMiddleware": ("MIDDLEWARE", "django-allauth", (0, 56)),
    "allauth.socialaccount": ("INSTALLED_APPS", "django-allauth", (0, 63)),
}
REQUIRED_ENV = "AUTHCMP_ADD_REQUIRED"  # "1": the history run serves older settings with what today's releases need


def require(namespace: dict[str, Any]) -> list[str]:
    """Add to an older settings module what the installed releases require, when REQUIRED_ENV asks; returns what
    was added (the server's health reports it as `added_for_today`)."""
    added: list[str] = []
    if os.environ.get(REQUIRED_ENV) == "1":
        for name, (setting, distribution, first) in REQUIRED.items():
            values = namespace.setdefault(setting, [])
            if name not in values and release(distribution) >= first:
                values.append(name)
                added.append(name)
    namespace["AUTHCMP_ADDED_FOR_TODAY"] = added
    return added
