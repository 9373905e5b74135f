"""One shared fix to DRF, applied to every variant alike: deeply nested JSON is a 400, not a 500.

DRF's stock `JSONParser.parse` turns only `ValueError` into a `ParseError`; `json.load` raises
`RecursionError` on input nested some thousands deep, which escapes as a 500 in every library built on DRF.
The posture battery records the stock behaviour (`deeply_nested_json_rejected`) and this parser is the
configuration fix, installed through `REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]` in the shared base.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply") from exc
