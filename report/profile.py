"""Shaping `benchmarks.profile_me`'s record: where `me`'s time goes beyond `baseline_drf`, and SQL after many logins.

Per variant: the unprofiled cost of `me` and of `baseline_drf`, DRF's authentication step, the own time per
package `me` spends beyond `baseline_drf` (rescaled from profiled to unprofiled time), the SQL statements of
the account's first login and `me` and again after many logins, and the causes each manifest's
`[bench_notes]` declares (from the registry). The variants below the scenario table's target for `me` under
load are named.
"""

from __future__ import annotations

from typing import Any

from report.tables import Table, code


def scaled(figures: dict[str, Any]) -> float:
    """Profiled µs to unprofiled µs: cProfile slows every call, so shares are kept and totals rescaled."""
    return figures["us_per_request"] / figures["profiled_us_per_request"]


def extra_by_group(entry: dict[str, Any]) -> list[tuple[str, float]]:
    """(group, µs `me` spends there beyond `baseline_drf`) per request, rescaled, largest first."""
    me, base = entry["me"], entry["baseline_drf"]
    groups = {*me["groups_us"], *base["groups_us"]}
    extra = {g: me["groups_us"].get(g, 0.0) * scaled(me) - base["groups_us"].get(g, 0.0) * scaled(base) for g in groups}
    return sorted(extra.items(), key=lambda item: (-item[1], item[0]))


def time_table(summary: dict[str, Any], top: int = 6) -> Table:
    """Per variant the unprofiled cost of both requests, then where `me`'s extra time goes."""
    table = Table(["variant", "`me` µs", "`baseline_drf` µs", "rate ratio", "DRF authentication step µs",
                   "where `me` spends more than `baseline_drf` (µs per request, largest first)"])  # fmt: skip
    for variant, entry in summary["variants"].items():
        if entry["status"] != "profiled":
            table.add(code(variant), "–", "–", "–", "–", entry["status"][:200])
            continue
        me, base = entry["me"]["us_per_request"], entry["baseline_drf"]["us_per_request"]
        auth = entry["me"]["drf_authentication_profiled_us"]
        auth_text = f"{auth * scaled(entry['me']):,.0f}" if auth is not None else "not a DRF view"
        extra = [f"{group} +{diff:,.0f}" for group, diff in extra_by_group(entry)[:top] if diff >= 1]
        table.add(code(variant), f"{me:,.0f}", f"{base:,.0f}", f"{base / me:.2f}", auth_text, "; ".join(extra))
    return table


def sql_table(summary: dict[str, Any]) -> Table:
    """SQL statements (writes in brackets) of the account's first login and `me`, and after its many logins."""
    logins = summary["header"]["logins"]

    def cell(figures: dict[str, int] | None) -> str:
        return f"{figures['total']} ({figures['writes']})" if figures else "–"

    table = Table(["variant", "1st login", f"{logins}th login", "`me` after the 1st", f"`me` after the {logins}th",
                   f"`me` µs after the 1st → {logins}th"])  # fmt: skip
    for variant, entry in summary["variants"].items():
        sql = entry.get("sql", {})
        cells = [cell(sql.get(k)) for k in ("login_first", f"login_{logins}", "me", f"me_after_{logins}")]
        before, after = (entry.get("me") or {}).get("us_per_request"), entry.get(f"me_after_{logins}_us_per_request")
        table.add(code(variant), *cells, f"{before:,.0f} → {after:,.0f}" if before and after else "–")
    return table


def notes(summary: dict[str, Any], registry: dict[str, Any]) -> list[str]:
    """The causes each manifest's `[bench_notes]` declares from its library's source, for the profiled variants."""
    return [f"`{v}` {figure}: {text}" for v in summary["variants"]
            for figure, text in registry["variants"].get(v, {}).get("bench_notes", {}).items()]  # fmt: skip


def below_target(profile: dict[str, Any], bench: dict[str, Any] | None, registry: dict[str, Any]) -> str:
    """Names the variants whose `me` kept less than its target of `baseline_drf` under load."""
    scenario = registry["scenarios"]["me"]
    floor, bound = scenario["target"], scenario["compare_to"]
    below = []
    for variant, entry in (bench or {}).get("variants", {}).items():
        found = entry.get("scenarios", {}).get("me", {}).get("ratio", {}).get("value")
        if found is not None and floor is not None and found < floor:
            below.append(f"`{variant}` ({found:.2f})")
    if not bench:
        return ""
    if below:
        return f"Under load, `me` kept less than {floor}× of `{bound}` for {', '.join(below)}."
    return f"Under load, every measured variant's `me` kept at least {floor}× of `{bound}`."


def login_growth(profile: dict[str, Any] | None, variant: str) -> str | None:
    """SQL statements of a login once the account has logged in many times, against its first, if it grows."""
    entry = ((profile or {}).get("variants") or {}).get(variant) or {}
    sql, logins = entry.get("sql") or {}, ((profile or {}).get("header") or {}).get("logins")
    first, late = sql.get("login_first"), sql.get(f"login_{logins}")
    if not first or not late or late["total"] <= first["total"]:
        return None
    return (
        f"a login costs {late['total']} SQL statements after {logins} logins of the account, {first['total']} at first"
    )


def section(profile: dict[str, Any], bench: dict[str, Any] | None, registry: dict[str, Any]) -> dict[str, Any]:
    return {
        "head": profile["header"], "below": below_target(profile, bench, registry), "time": time_table(profile),
        "sql": sql_table(profile), "notes": notes(profile, registry),
    }  # fmt: skip
