"""Posture cases about hostile input and headers: every one must end in a 4xx with a reason, never a 5xx."""

from __future__ import annotations

from harness.cases import ASVS, Case

CASES: dict[str, Case] = {
    # A 5xx is always a fail: the server did not decide, it broke. One reference each, the one the case tests.
    "oversized_body_rejected": Case("a 3 MB JSON body gets a 4xx, not a 5xx", f"{ASVS} V15.2.2"),
    "deeply_nested_json_rejected": Case("JSON nested 100,000 deep gets a 4xx, not a 5xx", "CWE-674"),
    "wrong_content_type_rejected": Case("a text/plain or XML body gets a 415/4xx", f"{ASVS} V2.2.1"),
    "null_byte_in_username_rejected": Case("a NUL byte in a username gets a 4xx, not a 5xx", "CWE-158"),
    "overlong_username_rejected": Case("a 10,000-character username gets a 4xx", f"{ASVS} V2.2.1"),
    "header_credential_with_nul_rejected": Case(
        "a NUL byte in the credential header gets the unauthenticated answer", "CWE-158"
    ),
    "header_credential_overlong_rejected": Case("a 6 KB credential gets the unauthenticated answer", "CWE-400"),
    "header_scheme_without_credential_rejected": Case(
        "a bare auth scheme with no credential gets a 4xx", "RFC 9110 §11.6.2"
    ),
    "header_credential_with_spaces_rejected": Case(
        "a credential split by spaces gets the unauthenticated answer", "RFC 9110 §11.6.2"
    ),
    "error_answers_leak_no_traceback": Case("error answers carry no traceback or settings", f"{ASVS} V16.5.1"),
    "fuzzing_finds_no_server_error": Case(
        "schema-driven fuzzing of the contract operations meets no 5xx (harness/fuzz.py)", f"{ASVS} V16.5.3"
    ),
}
