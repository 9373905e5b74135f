"""The tests session's concurrent runs: every job runs, a failing one fails the lot, each output stays whole."""

from __future__ import annotations

import sys

from harness import concurrent


def _job(label: str, code: str) -> concurrent.Job:
    return concurrent.Job(label, [sys.executable, "-c", code], {"AUTHCMP_JOB_LABEL": label})


def test_a_failing_job_is_named_and_every_output_is_printed_whole() -> None:
    said: list[str] = []
    jobs = [
        _job("first", "import os, time; time.sleep(0.3); print('one', os.environ['AUTHCMP_JOB_LABEL'])"),
        _job("second", "import sys; print('two'); sys.exit(3)"),
        _job("third", "print('three')"),
    ]
    failed = concurrent.run(jobs, echo=said.append, at_once=2)
    assert failed == ["second"]
    text = "\n".join(said)
    assert "--- second: exit 3 after" in text and "one first\n" in text and "three\n" in text
    # The third waited for a free slot: it cannot end before the second, which it queued behind.
    assert text.index("--- second:") < text.index("--- third:")


def test_all_passing_jobs_fail_nothing() -> None:
    assert concurrent.run([_job("a", "pass"), _job("b", "pass")], echo=lambda _: None) == []


def test_variants_are_dealt_round_robin_into_non_empty_parts() -> None:
    assert concurrent.split(["a", "b", "c", "d", "e"]) == [["a", "c", "e"], ["b", "d"]]
    assert concurrent.split(["a"]) == [["a"]]


def test_a_health_answer_from_another_server_is_not_taken_for_ours() -> None:
    """Two suites at once can meet on a reused free port: only the id the harness gave its own server counts."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from harness.server import HEALTH_PATH, fetch_health

    class Neighbour(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"status": "ok", "variant": "knox-token", "server": "theirs"}).encode()
            self.send_response(200 if self.path == HEALTH_PATH else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Neighbour)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        assert fetch_health(url, server_id="ours") == {}
        assert fetch_health(url, server_id="theirs") == {"status": "ok", "variant": "knox-token"}  # id never kept
    finally:
        httpd.shutdown()
