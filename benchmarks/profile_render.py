"""The report's "Where `me` time goes" subsection, rendered from `benchmarks.profile_me`'s record; it only reads.

Per variant: the unprofiled cost of `me` and of `baseline_drf`, DRF's authentication step, the own time per
package `me` spends beyond `baseline_drf` (rescaled from profiled to unprofiled time), the SQL statements of
the account's first login and `me` and again after many logins, and the causes each manifest's
`[bench_notes]` declares. The variants below the scenario table's target for `me` under load are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from benchmarks.scenarios import SCENARIOS
from harness.manifest import discover


def scaled(figures: dict[str, Any]) -> float:
    """Profiled µs to unprofiled µs: cProfile slows every call, so shares are kept and totals rescaled."""
    return figures["us_per_request"] / figures["profiled_us_per_request"]


def extra_by_group(entry: dict[str, Any]) -> list[tuple[str, float]]:
    """(group, µs `me` spends there beyond `baseline_drf`) per request, rescaled, largest first."""
    me, base = entry["me"], entry["baseline_drf"]
    groups = {*me["groups_us"], *base["groups_us"]}
    extra = {g: me["groups_us"].get(g, 0.0) * scaled(me) - base["groups_us"].get(g, 0.0) * scaled(base) for g in groups}
    return sorted(extra.items(), key=lambda item: (-item[1], item[0]))


def render(summary: Mapping[str, Any], top: int = 6) -> list[str]:
    """Markdown: per variant the unprofiled cost of both requests, then where `me`'s extra time goes."""
    lines = [
        "| variant | `me` µs | `baseline_drf` µs | rate ratio | DRF authentication step µs | where `me` spends more "
        "than `baseline_drf` (µs per request, largest first) |",
        "|---|---|---|---|---|---|",
    ]
    for variant, entry in summary["variants"].items():
        if entry["status"] != "profiled":
            lines.append(f"| `{variant}` | – | – | – | – | {entry['status'][:200]} |")
            continue
        me, base = entry["me"]["us_per_request"], entry["baseline_drf"]["us_per_request"]
        auth = entry["me"]["drf_authentication_profiled_us"]
        auth_text = f"{auth * scaled(entry['me']):,.0f}" if auth is not None else "not a DRF view"
        extra = [f"{group} +{diff:,.0f}" for group, diff in extra_by_group(entry)[:top] if diff >= 1]
        lines.append(f"| `{variant}` | {me:,.0f} | {base:,.0f} | {base / me:.2f} | {auth_text} | {'; '.join(extra)} |")
    return lines


def render_sql(summary: Mapping[str, Any]) -> list[str]:
    """SQL statements (writes in brackets) of the account's first login and `me`, and again after its many logins."""
    logins = summary["header"]["logins"]

    def cell(figures: dict[str, int] | None) -> str:
        return f"{figures['total']} ({figures['writes']})" if figures else "–"

    lines = [
        f"| variant | 1st login | {logins}th login | `me` after the 1st | `me` after the {logins}th "
        f"| `me` µs after the 1st → {logins}th |",
        "|---|---|---|---|---|---|",
    ]
    for variant, entry in summary["variants"].items():
        sql = entry.get("sql", {})
        cells = [sql.get(k) for k in ("login_first", f"login_{logins}", "me", f"me_after_{logins}")]
        before, after = (entry.get("me") or {}).get("us_per_request"), entry.get(f"me_after_{logins}_us_per_request")
        timing = f"{before:,.0f} → {after:,.0f}" if before and after else "–"
        lines.append(f"| `{variant}` | " + " | ".join(map(cell, cells)) + f" | {timing} |")
    return lines


def render_notes(variants: list[str]) -> list[str]:
    """The causes each manifest's `[bench_notes]` declares from its library's source, for the profiled variants."""
    known = discover()
    notes = [f"- `{v}` {figure}: {text}" for v in variants if v in known
             for figure, text in known[v].data.get("bench_notes", {}).items()]  # fmt: skip
    if not notes:
        return []
    return ["Causes read in the libraries' source, declared in each manifest's `[bench_notes]`:", "", *notes, ""]


def render_section(summary: Mapping[str, Any], bench: Mapping[str, Any] | None = None) -> list[str]:
    """The report's subsection; names the variants whose `me` kept less than its target of `baseline_drf` under load."""
    head, target_of = summary["header"], SCENARIOS["me"]
    floor, bound, logins = target_of.target, target_of.compare_to, head["logins"]
    below = []
    for variant, entry in (bench or {}).get("variants", {}).items():
        ratio = entry.get("scenarios", {}).get("me", {}).get("ratio", {}).get("value")
        if ratio is not None and floor is not None and ratio < floor:
            below.append(f"`{variant}` ({ratio:.2f})")
    target = (f"Under load, `me` kept less than {floor}× of `{bound}` for {', '.join(below)}."
              if below else f"Under load, every measured variant's `me` kept at least {floor}× of `{bound}`."
              if bench else "")  # fmt: skip
    return [
        "### Where `me` time goes",
        "",
        f"{target} The profile below (`python -m benchmarks.profile_me`, Python {head['harness_python']}, "
        f"{head['requests']:,} requests per round, median of {head['rounds']} unprofiled rounds, then one "
        "round under cProfile) sends each variant's `me` and the `baseline_drf` request in-process through "
        "Django's whole handler on the bench profile and SQLite: no HTTP, no gunicorn, one thread, so its "
        "ratio is not the load figure's. *DRF authentication step* is the cumulative time of DRF's "
        "`Request._authenticate` (the view's authentication classes). The last column is own time per package "
        "that `me` spends beyond `baseline_drf`, rescaled from profiled to unprofiled time.",
        "",
        *render(summary),
        "",
        f"SQL statements per request in the same process (writes in brackets), for one account's first login and "
        f"`me`, and again once the account has logged in {logins} times: a library that keeps a row per login "
        "and walks those rows pays for it on every login, or on every authenticated request (the last column: "
        "`me`'s unprofiled µs before and after; the statement count stays the same when one query returns "
        "every row).",
        "",
        *render_sql(summary),
        "",
        *render_notes(list(summary["variants"])),
    ]
