"""Enrolment in TOTP and the two-step login, as the MFA capability tests perform them (test_cap_mfa.py).

Each test enrols its own freshly signed-up user, so no other test meets a second step. Codes come from pyotp and
the secret the variant's API returns, as an authenticator app would compute them. What a variant needs besides the
credential is in its manifest: a `reauthenticate` operation where enrolling asks for the password again
(allauth), an `mfa_login` binding of the login endpoint whose answer carries the pending login (`mfa_token`),
and `mfa_authenticate`, the second step, which sends it back with a code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyotp

from harness.client import ContractClient, Reply, User
from shared_tests.observe import accepted

# TOTP codes change every 30 s and allauth accepts the current one only (MFA_TOTP_TOLERANCE = 0): a code computed in
# the last seconds of a window could reach the server in the next. Tests that compare two uses of one code start it
# with at least this much of the window left.
WINDOW_MARGIN_SECONDS = 4.0


@dataclass
class Enrolled:
    """A user with TOTP on: the device that enrolled, the codes' generator and the recovery codes shown."""

    device: ContractClient
    user: User
    totp: pyotp.TOTP
    recovery_codes: list[str]

    def code(self, offset_windows: int = 0) -> str:
        """The code of the current window, or of one `offset_windows` away (dj-rest-auth accepts one either side)."""
        return self.totp.at(time.time() + offset_windows * self.totp.interval)

    def wrong_code(self) -> str:
        return wrong_code(self.totp)

    def pending_login(self) -> ContractClient:
        """A new device that has given the password and waits for the second step."""
        device = self.device.fresh()
        reply = device.expect(device.send("mfa_login", vars(self.user)))
        assert device.credentials.get("mfa_token"), device.fail_message(reply, "a pending login (mfa_token)")
        return device

    def second_step(self, code: str, device: ContractClient | None = None) -> tuple[ContractClient, Reply]:
        """Complete a pending login (a new one unless `device` is given) with `code`."""
        device = device or self.pending_login()
        return device, device.send("mfa_authenticate", {"code": code})


def logged_in(device: ContractClient, reply: Reply) -> bool:
    """Did `reply` (a login step) give `device` a credential the current-user endpoint accepts?"""
    ok = reply.status in device.manifest.operation(reply.operation).status
    return ok and bool(device.credentials.get("access")) and accepted(device, device.credentials["access"])


def wrong_code(totp: pyotp.TOTP) -> str:
    """Six digits that are no code of the previous, current or next window."""
    now = time.time()
    taken = {totp.at(now + offset * totp.interval) for offset in (-1, 0, 1)}
    candidates = (f"{(int(totp.at(now)) + 111111 * step) % 10**6:06d}" for step in range(1, 9))
    return next(code for code in candidates if code not in taken)


def settle_window(totp: pyotp.TOTP) -> None:
    """Wait for the next TOTP window if the current one is about to end (see WINDOW_MARGIN_SECONDS)."""
    left = totp.interval - time.time() % totp.interval
    if left < WINDOW_MARGIN_SECONDS:
        time.sleep(left + 0.2)


def enrol(client: ContractClient, user: User, *, wrong_first: bool = False) -> tuple[Enrolled, Reply | None]:
    """Turn TOTP on for `client`'s signed-up `user`. With `wrong_first`, a wrong code is tried first: its answer is
    returned beside the enrolment."""
    client.expect(client.send("mfa_totp_setup"))
    totp = pyotp.TOTP(client.credentials["totp_secret"])
    if client.manifest.has_operation("reauthenticate"):
        client.expect(client.send("reauthenticate", vars(user)))
    first = client.send("mfa_totp_activate", {"code": wrong_code(totp)}) if wrong_first else None
    settle_window(totp)
    client.expect(client.send("mfa_totp_activate", {"code": totp.now()}))
    client.expect(client.send("mfa_recovery_codes"))
    codes = client.credentials.get("recovery_codes")
    assert isinstance(codes, list) and codes, f"[{client.variant}] no recovery codes after enrolment: {codes!r}"
    return Enrolled(client, user, totp, [str(code) for code in codes]), first
