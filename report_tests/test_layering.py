"""The arrows point one way: records -> report. The report package starts no runner, and nothing that runs imports it.

Checked on what Python actually loads (a fresh interpreter importing every entry point of the package) and on the
import statements of harness/ and benchmarks/ (their tests may read the report; their modules may not).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from harness.manifest import REPO_ROOT

ENTRY_POINTS = ("report.__main__", "report.render", "report.choose", "report.export")
RUNNERS = ("harness.server", "harness.recorder", "harness.fuzz", "harness.serve", "benchmarks.run",
           "benchmarks.measure", "benchmarks.prepare", "pytest", "locust", "django", "shared_tests")  # fmt: skip


def test_the_report_package_loads_no_runner() -> None:
    code = f"import importlib, json, sys; [importlib.import_module(m) for m in {ENTRY_POINTS!r}]; "
    code += "print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert not [m for m in loaded if m.split(".")[0] in RUNNERS or m in RUNNERS]


def _imports(path: str) -> set[str]:
    tree = ast.parse((REPO_ROOT / path).read_text())
    found = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return found | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_no_runner_imports_the_report_and_no_rendering_is_left_outside_it() -> None:
    modules = [p for folder in ("harness", "benchmarks") for p in (REPO_ROOT / folder).rglob("*.py")
               if not p.name.startswith("test_")]  # fmt: skip
    for path in modules:
        imported = {name.split(".")[0] for name in _imports(str(path.relative_to(REPO_ROOT)))}
        assert not imported & {"report", "jinja2", "matplotlib"}, f"{path.relative_to(REPO_ROOT)}: {imported}"
