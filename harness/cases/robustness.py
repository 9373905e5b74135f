"""Posture cases under concurrency, load and faults (shared_tests/test_robustness.py)."""

from __future__ import annotations

from harness.cases import ASVS, Case

CASES: dict[str, Case] = {
    "concurrent_registration_creates_one_account": Case(
        "20 simultaneous sign-ups of one username: one account, no 5xx", f"{ASVS} V15.4.2"
    ),
    "concurrent_logins_issue_credentials_as_declared": Case(
        "20 simultaneous logins of one user all succeed (a rate-limit refusal is counted apart)", "CWE-362"
    ),
    "soak_has_no_server_errors_and_loses_no_account": Case(
        "a bounded mixed load: no 5xx, every successful sign-up stored", f"{ASVS} V15.2.2"
    ),
    "database_connections_killed_mid_load_recover": Case(
        "killed DB connections mid-load: recovery, at most 2 errors", f"{ASVS} V16.5.2"
    ),
}
