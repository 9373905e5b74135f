"""Capabilities of multi-factor authentication with TOTP: enrolment, the second step and what guards it.

Each test signs up its own user, enrols it (shared_tests/mfa.py) and logs in from new devices, so no other test
meets a second step. A variant without MFA answers from its served schema (`observe.absent`): the availability
cell is false and the others not applicable.
"""

from __future__ import annotations

import pyotp

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, User
from shared_tests.mfa import enrol, logged_in, settle_window
from shared_tests.observe import absent, authenticating_cookies, authenticating_values

# Wrong codes sent before the right one: more than any per-account budget a variant sets in the test profile
# (allauth's login_failed, which its second step charges per account: 20 per 5 minutes there, 5 in production).
WRONG_CODE_BURST = 25


def test_mfa_totp_available(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "mfa_totp_setup", capability, False):
        return
    _, wrong = enrol(signed_up, user, wrong_first=True)  # the right code then turns TOTP on, or enrol fails
    assert wrong is not None
    capability.verify(400 <= wrong.status < 500, f"activating with a wrong code first: {wrong.describe()}")


def test_mfa_enrolment_requires_reauthentication(signed_up: ContractClient, user: User, capability: Check) -> None:
    """Turning TOTP on with the credential alone would let a thief lock the owner out (and keep the recovery codes)."""
    if absent(signed_up, "mfa_totp_setup", capability, NOT_APPLICABLE):
        return
    signed_up.expect(signed_up.send("mfa_totp_setup"))
    totp = pyotp.TOTP(signed_up.credentials["totp_secret"])
    settle_window(totp)
    bare = signed_up.send("mfa_totp_activate", {"code": totp.now()})
    refused = 400 <= bare.status < 500
    if refused:  # with the proof the variant asks for, the same device enrols: the refusal was about the proof
        enrol(signed_up, user)
    capability.verify(refused, f"a right code from the secret, with the credential alone: {bare.describe()}")


def test_mfa_login_requires_second_step(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "mfa_totp_setup", capability, NOT_APPLICABLE):
        return
    mfa, _ = enrol(signed_up, user)
    password_only = signed_up.fresh()
    reply = password_only.send("login", vars(user))
    credential = (
        password_only.credentials.get("access")
        or authenticating_values(password_only, reply)
        or authenticating_cookies(password_only, reply)
    )
    settle_window(mfa.totp)
    device, second = mfa.second_step(mfa.totp.now())
    both = not credential and logged_in(device, second)
    capability.verify(both, f"the password alone: {reply.describe()}; then the code: {second.describe()}")


def test_mfa_wrong_code_refused(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "mfa_totp_setup", capability, NOT_APPLICABLE):
        return
    mfa, _ = enrol(signed_up, user)
    device, wrong = mfa.second_step(mfa.wrong_code())
    refused = 400 <= wrong.status < 500 and not device.credentials.get("access")
    settle_window(mfa.totp)
    _, right = mfa.second_step(mfa.totp.now(), device)  # the same pending login: the refusal was the code's
    assert logged_in(device, right), device.fail_message(right, "the right code to complete the same login")
    capability.verify(refused, f"a wrong code: {wrong.describe()}")


def test_mfa_replayed_code_refused(signed_up: ContractClient, user: User, capability: Check) -> None:
    """RFC 6238 §5.2: a code that succeeded once is refused for as long as it is valid. Between the two uses the next
    window's code is tried, as a user's next login would send it: a verifier that remembers only the last code used
    forgets the first one then."""
    if absent(signed_up, "mfa_totp_setup", capability, NOT_APPLICABLE):
        return
    mfa, _ = enrol(signed_up, user)
    settle_window(mfa.totp)  # the first code stays valid through the three logins
    code = mfa.totp.now()
    first_device, first = mfa.second_step(code)
    assert logged_in(first_device, first), first_device.fail_message(first, "the first use of a fresh code to work")
    _, between = mfa.second_step(mfa.code(offset_windows=1))
    device, replay = mfa.second_step(code)
    refused = 400 <= replay.status < 500 and not device.credentials.get("access")
    capability.verify(refused, f"the next window's code: {between.status}; the first again: {replay.describe()}")


def test_mfa_recovery_codes_single_use(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "mfa_totp_setup", capability, NOT_APPLICABLE):
        return
    mfa, _ = enrol(signed_up, user)
    code = mfa.recovery_codes[0]
    first_device, first = mfa.second_step(code)
    device, again = mfa.second_step(code)
    once = logged_in(first_device, first)
    twice = not (400 <= again.status < 500) or bool(device.credentials.get("access"))
    capability.verify(once and not twice, f"a recovery code: {first.describe()}; again: {again.describe()}")


def test_mfa_disable_requires_reauthentication(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "mfa_totp_setup", capability, NOT_APPLICABLE):
        return
    mfa, _ = enrol(signed_up, user)
    settle_window(mfa.totp)
    device, login = mfa.second_step(mfa.totp.now())  # a device fresh from a complete login, as a thief's would be
    assert logged_in(device, login), device.fail_message(login, "a complete two-step login")
    bare = device.send("mfa_totp_disable", {"code": ""})
    still_on = not _credential_after_login(device, user)
    # With the proof the variant asks for, the same device can turn TOTP off: the refusal was about the proof.
    if device.manifest.has_operation("reauthenticate"):
        device.expect(device.send("reauthenticate", vars(user)))
    device.expect(device.send("mfa_totp_disable", {"code": mfa.code(offset_windows=1)}))
    assert _credential_after_login(device, user), f"[{device.variant}] TOTP still on after mfa_totp_disable"
    refused = 400 <= bare.status < 500 and still_on
    capability.verify(refused, f"turning TOTP off with the credential alone: {bare.describe()}")


def test_mfa_second_step_throttled(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "mfa_totp_setup", capability, NOT_APPLICABLE):
        return
    mfa, _ = enrol(signed_up, user)
    device = mfa.pending_login()
    wrong = mfa.wrong_code()
    statuses = [mfa.second_step(wrong, device)[1].status for _ in range(WRONG_CODE_BURST)]
    settle_window(mfa.totp)
    _, right = mfa.second_step(mfa.totp.now(), device)
    throttled = 429 in statuses or not logged_in(device, right)
    burst = f"{WRONG_CODE_BURST} wrong codes answered {sorted(set(statuses))}"
    capability.verify(throttled, f"{burst}; then the right one: {right.describe()}")


def _credential_after_login(device: ContractClient, user: User) -> bool:
    """Does the password alone log a new device in (TOTP off)?"""
    other = device.fresh()
    other.send("login", vars(user))
    return bool(other.credentials.get("access"))
