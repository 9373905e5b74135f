"""Posture cases about profile updates: what a client may change about its own account, and how."""

from __future__ import annotations

from harness.cases import ASVS, Case

CASES: dict[str, Case] = {
    "profile_patch_roundtrip_changes_nothing": Case(
        "PATCHing back exactly what GET of the user returned succeeds and changes nothing", "RFC 5789 2"
    ),
    "profile_put_roundtrip_changes_nothing": Case(
        "PUTting back exactly what GET of the user returned succeeds and changes nothing (where PUT is served)",
        "RFC 9110 9.3.4",
    ),
    "profile_update_cannot_grant_staff": Case(
        "is_staff and is_superuser in a profile update are ignored or refused", f"{ASVS} V15.3.3"
    ),
    "profile_update_cannot_set_password": Case(
        "a password in a profile update is ignored or refused: the old password still logs in", "CWE-620"
    ),
    "profile_update_cannot_change_id": Case("id and pk in a profile update are ignored or refused", "CWE-915"),
    "profile_update_cannot_change_account_state": Case(
        "is_active, last_login and date_joined in a profile update are ignored or refused", "CWE-915"
    ),
    "email_change_needs_password_or_confirmation": Case(
        "a profile update does not change the email without the current password or a confirmation",
        f"{ASVS} V7.5.1",
    ),
}
