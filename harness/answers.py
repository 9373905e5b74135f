"""What the harness reads out of an answer, whichever HTTP client received it: credentials and fields found by
locator ("body:a.b", "cookie:NAME"), and the templates that put them back into a request ("{name}").

Split from `harness.client` (which re-exports these names) so the request builder stays one short module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from harness.manifest import Operation


class Answer(Protocol):
    """What a locator reads from an answer, whichever HTTP client received it."""

    @property
    def json(self) -> Any: ...

    @property
    def cookies(self) -> Mapping[str, str]: ...


def parsed_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Received:
    """An answer another HTTP client received (Locust's, Django's test client's): its body and the cookies it set.
    Those clients check the status themselves; this only lets the locators read the rest."""

    text: str
    cookies: dict[str, str] = field(default_factory=dict)

    @cached_property
    def json(self) -> Any:  # parsed once: a load generator reads several credentials from one answer
        return parsed_json(self.text)


def locate(reply: Answer, locator: str) -> Any:
    """Read a value out of an answer: "body:a.b" (JSON path; "body:" is the top-level keys), "cookie:NAME".

    A path step ending in "[]" names a list and applies the rest of the path to each of its items, collecting
    the values found: "body:errors[].param" is the `param` of every item of `errors` that has one."""
    source, _, where = locator.partition(":")
    if source == "cookie":
        return reply.cookies.get(where)
    if source != "body":
        raise ValueError(f"unknown locator source in {locator!r}")
    node = reply.json
    if not where:
        return list(node) if isinstance(node, dict) else []
    return _walk(node, where.split("."))


def _walk(node: Any, parts: list[str]) -> Any:
    for index, part in enumerate(parts):
        key, each = (part[:-2], True) if part.endswith("[]") else (part, False)
        if key or not each:  # a bare "[]" step is the list at hand
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        if each:
            if not isinstance(node, list):
                return None
            found = (_walk(item, parts[index + 1 :]) for item in node)
            return [value for value in found if value is not None]
    return node


def captured(op: Operation, answer: Answer) -> dict[str, Any]:
    """The credentials a successful answer to `op` carries, where the manifest says; empty ones are left out."""
    found = {name: locate(answer, locator) for name, locator in op.credentials.items()}
    return {name: value for name, value in found.items() if value}


def fill(template: Any, context: dict[str, Any]) -> Any:
    """Fill "{name}" placeholders; a template that is exactly one placeholder keeps the value's type."""
    if isinstance(template, dict):
        return {key: fill(value, context) for key, value in template.items()}
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template.count("{") == 1:
            return context.get(template[1:-1], "")
        return template.format_map(context)
    return template
