"""The capability matrix: what each capability means, and the claims manifests make about them.

A manifest claims a value for every capability here: `id = true | false | "text" | number`, or a table
with `claim`, `setting` (the library setting that flips it), `note` and, for not-applicable,
`claim = "n/a"` with a `reason`. A default variant's ⚙ (a claim with `setting`) is flipped in its hardened
counterpart, or in the mode its `flipped_in` names; there, a claim that stays the same carries `finding` (what was
observed instead) and one whose flip cannot be observed yet carries `unverified` (why). The suite has one test
per capability, named `test_<id>`, that observes the behaviour over HTTP and fails when the observation differs
from the claim, in either direction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.manifest import Manifest, ManifestError, load_backend

NOT_APPLICABLE = "n/a"

# id -> (area, what an architect learns from it). The order is the report's row order.
CAPABILITIES: dict[str, tuple[str, str]] = {
    "registration_returns_credential": ("credentials", "registration answers with a usable credential"),
    "login_by_username": ("credentials", "login with username and password"),
    "login_by_email": ("credentials", "the login operation accepts the email in place of the username"),
    "credential_kind": ("credentials", "what the access credential is: an opaque token or a JWT"),
    "new_credential_per_login": ("credentials", "each login issues a distinct credential (one per device)"),
    "credential_hashed_at_rest": ("credentials", "no issued credential is stored in plain text in the database"),
    "credential_entropy_at_least_128_bits": ("credentials", "an opaque credential carries >= 128 bits"),
    "login_failure_indistinguishable": ("credentials", "wrong password and unknown user get identical answers"),
    "email_unique_enforced": ("credentials", "a second account with a taken email is refused"),
    "login_creates_server_session": ("credentials", "login also opens a Django session (sets a session cookie)"),
    "logout_revokes_credential": ("logout", "the access credential used to log out is refused afterwards"),
    "logout_ends_other_sessions": ("logout", "logging out on one device ends another device's credential"),
    "logout_all_available": ("logout", "one operation ends every credential of the user"),
    "access_token_valid_after_logout": ("logout", "a JWT access token is still accepted after logout"),
    "refresh_revoked_on_logout": ("logout", "the refresh token is refused after logout"),
    "refresh_available": ("tokens", "a refresh operation issues a new working access token"),
    "refresh_rotation": ("tokens", "refreshing also issues a new refresh token"),
    "rotated_refresh_reuse_rejected": ("tokens", "a refresh token already rotated is refused"),
    "verify_available": ("tokens", "a verify operation tells valid tokens from forged ones"),
    "credential_expiry_enforced": ("tokens", "a credential past its lifetime is refused"),
    "password_change_available": ("password", "an authenticated password change operation"),
    "password_change_requires_current_password": ("password", "password change refuses a request without it"),
    "password_change_revokes_credentials": ("password", "credentials issued before a password change stop working"),
    "password_reset_end_to_end": ("password", "reset by mailed link: request, read the mail, confirm, log in"),
    "password_reset_revokes_credentials": ("password", "credentials issued before a reset stop working"),
    "account_deletion": ("password", "the user can delete their own account"),
    "unauthenticated_answer": ("transport", "status (and WWW-Authenticate) without a credential"),
    "cookie_transport": ("transport", "login sets cookies that alone authenticate requests"),
    "cookie_httponly": ("transport", "every authenticating cookie is HttpOnly"),
    "csrf_enforced_for_cookie_auth": ("transport", "an unsafe request authenticated by cookie needs a CSRF token"),
    "inactive_user_login_rejected": ("transport", "a deactivated user cannot log in"),
    "inactive_user_credentials_rejected": ("transport", "a deactivated user's live credential is refused"),
    "queries_per_authenticated_request": ("cost", "SQL statements an authenticated GET of the user costs"),
    "writes_per_authenticated_request": ("cost", "of which writes (INSERT/UPDATE/DELETE)"),
    # -- e-mail verification, throttling --
    "verification_mail_sent_on_signup": ("verification", "sign-up mails a link that confirms the address"),
    "login_refused_before_verification": (
        "verification",
        "before confirmation the right password is refused, told apart from a wrong one",
    ),
    "verification_confirms_address": ("verification", "the mailed link's value, POSTed back, confirms; login works"),
    "verification_key_single_use": ("verification", "a confirmation key used once is refused the second time"),
    "verification_key_expires": ("verification", "a confirmation key past its lifetime is refused"),
    "verification_resend_available": ("verification", "a resend operation mails a new link that confirms"),
    "verification_link_target_configurable": (
        "verification",
        "the link leads to the frontend's page (not the API's), which POSTs its value back",
    ),
    "verification_resend_throttled": ("throttling", "resending to one address is limited, whoever asks (production)"),
    "login_throttled_per_account": ("throttling", "wrong passwords on one account from many clients meet a limit"),
    "login_throttled_per_client": ("throttling", "failed logins from one client, many accounts, meet a limit"),
    "password_reset_throttled_per_client": ("throttling", "reset requests from one client, many addresses: a limit"),
    # -- MFA, sessions and devices --
    "mfa_totp_available": ("mfa", "TOTP enrolment through the API: codes from the secret it returns are accepted"),
    "mfa_login_requires_second_step": ("mfa", "once TOTP is on, the password alone yields no credential; a code does"),
    "mfa_wrong_code_refused": ("mfa", "a wrong code at the second step yields no credential"),
    "mfa_replayed_code_refused": ("mfa", "a TOTP code used once is refused while valid, even after a newer one"),
    "mfa_recovery_codes_single_use": ("mfa", "a recovery code completes the second step once, never twice"),
    "mfa_enrolment_requires_reauthentication": ("mfa", "turning TOTP on needs the password again, not the credential"),
    "mfa_disable_requires_reauthentication": ("mfa", "turning TOTP off needs a code or the password again"),
    "mfa_second_step_throttled": ("mfa", "after a burst of wrong codes for one account, even the right one is refused"),
    "sessions_listed": ("sessions", "the user lists their live sessions, one per device"),
    "session_ended_by_id": ("sessions", "ending one listed session logs that device out, and not this one"),
    "other_sessions_ended": ("sessions", "the user ends every other session and stays logged in here"),
    "session_list_shows_device": ("sessions", "each listed session shows its device (user agent), address and time"),
    # -- social login, passkeys --
    "social_login_creates_account": ("social", "a first OpenID Connect login creates an account and its credential"),
    "social_login_finds_same_account": ("social", "a second social login of the same person finds that account"),
    "social_links_by_verified_email": ("social", "a provider-verified email logs into the local account that has it"),
    "social_refuses_unverified_email_link": ("social", "an unverified provider email never logs into a local account"),
    "social_id_token_bad_signature_refused": ("social", "an id_token with a forged signature: refused, 5xx, accepted"),
    "social_id_token_wrong_audience_refused": ("social", "an id_token for another client: refused, 5xx or accepted"),
    "social_id_token_expired_refused": ("social", "an expired id_token: refused, 5xx or accepted"),
    "social_state_replay_refused": ("social", "a login presenting the state of an earlier login is refused"),
    "social_nonce_replay_refused": ("social", "an id_token carrying the nonce of an earlier login is refused"),
    "passkey_registration": ("passkeys", "a WebAuthn key (ES256, attestation none) is registered through the API"),
    "passkey_login": ("passkeys", "the passkey alone logs in and its credential works"),
    "passkey_wrong_origin_refused": ("passkeys", "an assertion made for another origin is refused"),
    "passkey_replayed_assertion_refused": ("passkeys", "an assertion that logged in once is refused when replayed"),
    "passkey_counter_regression_refused": ("passkeys", "an assertion whose counter did not grow (a clone) is refused"),
    "passkey_discoverable_login": ("passkeys", "a discoverable (synced) passkey, sending its user handle, logs in"),
}


def declared(manifest: Manifest, capability: str) -> dict[str, Any]:
    """The claim as a table: {"claim": bool | "n/a", "setting": ..., "note": ..., "reason": ...}."""
    try:
        raw = manifest.capabilities[capability]
    except KeyError:
        raise ManifestError(f"{manifest.path}: variant {manifest.variant} has no claim for {capability!r}") from None
    entry = raw if isinstance(raw, dict) else {"claim": raw}
    if "claim" not in entry or not isinstance(entry["claim"], bool | int | str):
        raise ManifestError(f"{manifest.path}: {manifest.variant}.{capability} must claim a bool, number or text")
    if entry["claim"] == NOT_APPLICABLE and not entry.get("reason"):
        raise ManifestError(f"{manifest.path}: {manifest.variant}.{capability} is 'n/a' without a reason")
    return entry


@functools.cache
def _backend_variants(manifest_path: Path) -> dict[str, Manifest]:
    """A manifest file's variants, read once per process: the recorder asks for every capability cell."""
    return load_backend(manifest_path)


def flip_target(manifest: Manifest, capability: str) -> str | None:
    """The variant whose settings flip this ⚙ cell of a default variant: the claim's `flipped_in` mode, else the
    variant that hardens this one. None for a claim without a setting, or a hardened or observation-only variant's
    own cells (they inherit the ⚙ their default flips)."""
    entry = declared(manifest, capability)
    if not entry.get("setting") or manifest.hardens or manifest.observes:
        return None
    siblings = _backend_variants(manifest.path)
    if entry.get("flipped_in"):
        name = f"{manifest.backend}-{entry['flipped_in']}"
        if name not in siblings:
            raise ManifestError(f"{manifest.path}: {manifest.variant}.{capability} is flipped_in unknown mode {name!r}")
        return name
    return next((name for name, sibling in siblings.items() if sibling.hardens == manifest.variant), None)


def missing_claims(manifest: Manifest) -> list[str]:
    return [capability for capability in CAPABILITIES if capability not in manifest.capabilities]


def unknown_claims(manifest: Manifest) -> list[str]:
    return [capability for capability in manifest.capabilities if capability not in CAPABILITIES]


@dataclass
class Check:
    """One capability of one variant under test: read the claim, then `verify` what was observed."""

    manifest: Manifest
    capability: str
    record: Callable[[dict[str, Any]], None]

    @property
    def claim(self) -> Any:
        return declared(self.manifest, self.capability)["claim"]

    def verify(self, observed: Any, evidence: str = "") -> None:
        entry = declared(self.manifest, self.capability)
        self.record({"id": self.capability, "declared": entry["claim"], "observed": observed, "evidence": evidence})
        assert observed == entry["claim"], (
            f"[{self.manifest.variant}] capability {self.capability}: declared {entry['claim']!r}, "
            f"observed {observed!r}" + (f" ({evidence})" if evidence else "")
        )
