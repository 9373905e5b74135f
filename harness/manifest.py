"""Variant manifests: how the contract binds to each backend's native endpoints, read from TOML.

Each backend folder holds one `manifest.toml`. Its top level describes what all the backend's modes
share; each `[variants.<mode>]` table overlays it (tables merge key by key, other values replace; a claim in
`capabilities` or `posture` replaces the shared claim whole), and the merged result is the manifest of the
variant `<backend>-<mode>`. A mode with `hardens = "<mode>"` is that mode's hardened configuration: it overlays
the mode it hardens (shared, then that mode, then its own table) and names its own settings module; `requires`
lists the services its settings talk to (`redis`, `oidc`), which whoever starts it must provide. A mode with
`observes = "<mode>"` overlays that mode the same way but is an observation-only configuration: it flips a setting
to the side no one should deploy (a ⚙ whose flip is unsafe or breaks another cell), the suite runs only the
capability tests it claims, and nothing else (benchmarks, fuzzing, browser, the report's columns) selects it
unless named. Everything the suite and the benchmarks know about a variant comes from here, so this module
validates eagerly and names the file and key at fault.
Standard library only: the noxfile imports it to discover variants before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
BACKENDS_DIR = REPO_ROOT / "backends"

# The core contract: every variant binds each of these to a native endpoint.
CORE_OPERATIONS = ("register", "login", "me", "update_me", "logout")
UNAUTHENTICATED_STATUSES = (401, 403)
# Services a variant's settings may require (`requires = [...]`); harness.services checks and provides them.
SERVICES = ("redis", "oidc")
# Tables whose entries are claims about the variant (a capability, a posture finding): a mode replaces them whole.
CLAIM_TABLES = ("capabilities", "posture")
DEFAULT_SCHEMA_DOCUMENT = "/api/schema/?format=json"  # drf-spectacular's, served by backends/common/urls.py
# Operations every variant serves for the project itself, not for its library: never bound, never a finding.
PROJECT_OPERATIONS = {"GET /baseline/drf/{id}/": "the benchmarks' DRF baseline (backends/common/baseline.py)"}


class ManifestError(ValueError):
    """A manifest is missing a key or holds a value the harness cannot use."""


@dataclass(frozen=True)
class Operation:
    """One contract operation bound to a native endpoint."""

    name: str
    method: str
    path: str
    status: tuple[int, ...]
    body: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    authenticated: bool = False
    credentials: dict[str, str] = field(default_factory=dict)
    # Header name -> template, for a credential an operation carries besides the access one (a pending login's
    # session token, say): filled like the body, and sent only when the value it names is known.
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """Everything the harness knows about one variant."""

    variant: str
    backend: str
    mode: str
    path: Path
    data: dict[str, Any]

    @property
    def library(self) -> str:
        return self.data["library"]

    @property
    def settings_module(self) -> str:
        return self.data["settings"]

    @property
    def hardens(self) -> str | None:
        """The variant this one is the hardened configuration of (same backend), or None for a default variant."""
        mode = self.data.get("hardens")
        return f"{self.backend}-{mode}" if mode else None

    @property
    def observes(self) -> str | None:
        """The variant this observation-only configuration flips settings of, or None."""
        mode = self.data.get("observes")
        return f"{self.backend}-{mode}" if mode else None

    @property
    def requires(self) -> tuple[str, ...]:
        """Services the variant's settings talk to besides its database (see SERVICES)."""
        return tuple(self.data.get("requires", ()))

    @property
    def auth_header(self) -> tuple[str, str]:
        """The header name and value template that carry the credential, e.g. ("Authorization", "Token {access}")."""
        return self.data["auth"]["header"], self.data["auth"]["value"]

    @property
    def unauthenticated_status(self) -> int:
        return self.data["auth"]["unauthenticated_status"]

    @property
    def signup_confirms_by_mail(self) -> bool:
        """`[signup] confirm_by_mail`: verification is mandatory, so the contract client's sign-up follows the
        mailed link ([mail].verify_link) through operation `verify_email` before the account can log in."""
        return bool(self.data.get("signup", {}).get("confirm_by_mail", False))

    @property
    def field_errors(self) -> str:
        """Locator of the field names a validation error names (see `harness.client.locate`)."""
        return self.data["errors"]["fields"]

    @property
    def user_fields(self) -> dict[str, str]:
        """Contract user field -> locator of it in the current-user answer."""
        return self.data["user"]

    @property
    def deviations(self) -> dict[str, str]:
        """Test name -> reason, for known deviations that the suite turns into strict xfails."""
        return self.data.get("deviations", {})

    @property
    def capabilities(self) -> dict[str, Any]:
        return self.data.get("capabilities", {})

    @property
    def schema_documents(self) -> list[str]:
        """Paths of the OpenAPI documents the variant serves (drf-spectacular's, and a library's own)."""
        return self.data.get("schema", {}).get("documents", [DEFAULT_SCHEMA_DOCUMENT])

    @property
    def unbound_operations(self) -> dict[str, str]:
        """ "METHOD /path" of each served operation the manifest binds to no contract operation -> what it is."""
        return {**PROJECT_OPERATIONS, **self.data.get("schema", {}).get("unbound", {})}

    def operation_key(self, name: str) -> str:
        """ "METHOD /path" of a bound operation, as a served OpenAPI document names it (`schema_path` where the
        document templates a segment the binding fills in, e.g. djoser's /auth/o/{provider}/)."""
        op = self.operation(name)
        return f"{op.method} {self.data['operations'][name].get('schema_path', op.path)}"

    def operation(self, name: str) -> Operation:
        try:
            spec = self.data["operations"][name]
        except KeyError:
            raise ManifestError(f"{self.path}: variant {self.variant} binds no operation {name!r}") from None
        status = spec["status"]
        return Operation(
            name=name,
            method=spec["method"].upper(),
            path=spec["path"],
            status=tuple(status) if isinstance(status, list) else (status,),
            body=spec.get("body", {}),
            cookies=spec.get("cookies", {}),
            authenticated=spec.get("authenticated", False),
            credentials=spec.get("credentials", {}),
            headers=spec.get("headers", {}),
        )

    def has_operation(self, name: str) -> bool:
        return name in self.data.get("operations", {})


def display_path(path: Path) -> str:
    """`path` relative to the repository when it is inside it (fake backends in tests may not be)."""
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def _overlay(shared: dict[str, Any], mode: dict[str, Any]) -> dict[str, Any]:
    """The variant's data: the mode's tables merged over the shared ones, except that each claim the mode makes
    replaces the shared claim whole, so no note, reason or setting of another mode can reach the mode's cell."""
    merged = _merge(shared, mode)
    for table in CLAIM_TABLES:
        for key, claim in mode.get(table, {}).items():
            merged[table][key] = claim
    return merged


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _require(data: dict[str, Any], dotted: str, where: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ManifestError(f"{where}: missing required key {dotted!r}")
        node = node[part]
    return node


def _validate(manifest: Manifest) -> Manifest:
    where = f"{display_path(manifest.path)} [variant {manifest.variant}]"
    for key in ("library", "settings", "auth.header", "auth.value", "auth.unauthenticated_status"):
        _require(manifest.data, key, where)
    for key in ("errors.fields", "user.username", "user.email", "user.first_name"):
        _require(manifest.data, key, where)
    unknown = [service for service in manifest.requires if service not in SERVICES]
    if unknown:
        raise ManifestError(f"{where}: requires unknown service(s) {unknown}; known: {', '.join(SERVICES)}")
    if manifest.unauthenticated_status not in UNAUTHENTICATED_STATUSES:
        raise ManifestError(f"{where}: auth.unauthenticated_status must be 401 or 403")
    for name in CORE_OPERATIONS:
        for key in ("method", "path", "status"):
            _require(manifest.data, f"operations.{name}.{key}", where)
    if manifest.signup_confirms_by_mail:
        for key in ("mail.verify_link", "operations.verify_email.path"):
            _require(manifest.data, key, where)
    return manifest


def load_backend(manifest_path: Path) -> dict[str, Manifest]:
    """All variants declared by one backend's manifest, keyed by variant name."""
    with manifest_path.open("rb") as fh:
        raw = tomllib.load(fh)
    modes = raw.pop("variants", None)
    if not modes:
        raise ManifestError(f"{manifest_path}: declares no [variants.<mode>] table")
    backend = manifest_path.parent.name
    variants = {}
    for mode, overlay in modes.items():
        shared = raw
        for relation in ("hardens", "observes"):
            if relation not in overlay:
                continue
            base = overlay[relation]
            if base not in modes or {"hardens", "observes"} & set(modes[base]):
                raise ManifestError(f"{manifest_path}: [variants.{mode}] {relation} {base!r}, which is no default mode")
            # shared, then the mode it builds on, then its own table (claims replaced whole each time)
            shared = _overlay(raw, modes[base])
        data = _overlay(shared, overlay)
        if "observes" in overlay:  # the capabilities the observation-only configuration is there to observe
            data["observed_only"] = sorted(overlay.get("capabilities", {}))
        variants[f"{backend}-{mode}"] = _validate(Manifest(f"{backend}-{mode}", backend, mode, manifest_path, data))
    return variants


def discover(backends_dir: Path = BACKENDS_DIR) -> dict[str, Manifest]:
    """Every variant of every backend folder that has a manifest.toml, sorted by name."""
    found: dict[str, Manifest] = {}
    for manifest_path in sorted(backends_dir.glob("*/manifest.toml")):
        found.update(load_backend(manifest_path))
    return dict(sorted(found.items()))


def load(variant: str, backends_dir: Path = BACKENDS_DIR) -> Manifest:
    (manifest,) = select_variants([variant], backends_dir)
    return manifest


def select_variants(names: Iterable[str], backends_dir: Path = BACKENDS_DIR) -> list[Manifest]:
    """The named variants in the order given (each once), or every discovered variant but the observation-only
    ones (`observes`) when none is named.

    The one selection every command and the suite use; an unknown name is refused with the known ones listed.
    """
    known = discover(backends_dir)
    # observation-only configurations run where named (the suite's sessions name them), never by default
    wanted = list(dict.fromkeys(names)) or [name for name, manifest in known.items() if not manifest.observes]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ManifestError(f"unknown variant(s) {', '.join(unknown)}; known variants: {', '.join(known) or 'none'}")
    return [known[name] for name in wanted]


def add_variant_option(parser: argparse.ArgumentParser, what: str = "run") -> None:
    """The one spelling of variant selection on a command line: `--variant NAME [NAME ...]`, repeatable.

    The names land in `variants` (empty: every discovered variant); pass them to `select_variants`.
    """
    parser.add_argument(
        "--variant",
        dest="variants",
        action="extend",
        nargs="+",
        default=[],
        metavar="NAME",
        help=f"variant(s) to {what}; repeatable (default: every discovered variant)",
    )
