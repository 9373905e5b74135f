"""The typed shape of each result record (its header and body), for the writers that build one and the readers
that take one apart; `harness/results.py` names where each lives and the schema id it declares. Standard library
only, like `harness.results`, which the noxfile imports before any virtualenv exists.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Machine(TypedDict):
    cpu_count: int
    cpu_model: str
    system: str


class Header(TypedDict):
    """What every record's header holds; each record's own header adds its keys."""

    schema: str
    generated: str
    git_commit: str
    harness_python: str
    machine: Machine
    overrides: list[str]  # pins a session installs over uv.lock on purpose (the compat sessions' Django)


class ContractHeader(Header):
    database: str
    profile: str
    base_url: str | None
    selection: NotRequired[dict[str, str | None]]  # pytest's -k and -m expressions (None: every case)


class ContractRecord(TypedDict):
    """contract.json, security.json, compat/<variant>.json: per variant its health and every test's outcome."""

    header: ContractHeader
    variants: dict[str, dict[str, Any]]


class MatrixRecord(TypedDict):
    """matrix.json: per variant its versions and each capability's claim and observation."""

    header: ContractHeader
    variants: dict[str, dict[str, Any]]


class FuzzHeader(Header):
    schemathesis: str | None
    max_examples: int
    seed: int | None
    database: str
    profile: str


class FuzzRecord(TypedDict):
    """fuzz/<variant>.json: what schemathesis sent to each operation and the 5xx it met; `error` if it could not."""

    header: FuzzHeader
    variant: str
    error: NotRequired[str]
    library: NotRequired[str]
    manifest: NotRequired[str]
    health: NotRequired[dict[str, Any]]
    elapsed_seconds: NotRequired[float]
    posture: NotRequired[dict[str, Any]]
    not_in_schema: NotRequired[list[str]]
    credential_passes: NotRequired[dict[str, str]]
    operations: NotRequired[dict[str, dict[str, Any]]]
    server_exceptions: NotRequired[dict[str, dict[str, int]]]


class BenchHeader(Header):
    run_id: str
    database: str
    host: str | None
    quick: bool
    server: dict[str, Any]
    load: dict[str, Any]
    seeded_users: int
    ip_rate_limits: str
    profiles: dict[str, str]
    command: list[str]
    pinning: NotRequired[dict[str, Any]]
    stack: NotRequired[dict[str, Any]]
    amendments: NotRequired[list[dict[str, Any]]]
    # The decision rules' thresholds (benchmarks/rules.py): generator_busy, spread_bound, max_runs, open_loop_short,
    # growth_tolerance.
    rules: NotRequired[dict[str, Any]]
    # Where the database server ran: kind (sqlite/postgresql), placement (pinned with the served variant or why
    # not), cpus, postmasters; its CPU use per run is in each run's `cpu.database`.
    database_server: NotRequired[dict[str, Any]]
    # The load generator's limit, measured once (benchmarks/calibrate.py): status, scenario, processes,
    # generator_max_rps, generator_bound, tries (rps, generator and server cores, busiest Locust process).
    calibration: NotRequired[dict[str, Any]]


class BenchFigure(TypedDict, total=False):
    """One measured figure (variants.<v>.scenarios.<s>, and each point of `scale` and `curves`): the median of
    its judged runs. The fields the measurement-trust rules add (issue #18) are listed here."""

    status: str  # measured | skipped | error
    rps: float
    p50: float | None
    p95: float | None
    p99: float | None
    runs: list[dict[str, Any]]  # the judged runs, each with `cpu` (below) and `generator_bound`
    earlier_runs: list[dict[str, Any]]  # runs the spread rule replaced by later ones
    spread_max_deviation_pct: float | None  # the judged run furthest from the median, in % (None: one run)
    spread_exceeded: bool  # the judged runs still spread beyond rules.spread_bound after max_runs
    generator_bound: bool | None  # some run's Locust was above rules.generator_busy (None: not measured)
    usable_for_ratio: bool  # False when generator-bound: no ratio uses it
    # Median over the runs per process tree (generator, server, database): cores (CPU seconds per second) and
    # busiest_process (share of one core of the busiest process).
    cpu: dict[str, dict[str, float]] | None
    ratio: dict[str, Any]  # to, value, usable, reason (when value is None)
    # --open-loop: capacity_rps, steps [{load, target_rps, users, rps, p50, p95, p99, short, generator_bound, cpu}]
    open_loop: dict[str, Any]


class BenchSummary(TypedDict):
    """bench/<run-id>/summary.json: the run's hash limit, the scenarios it ran, per variant their figures."""

    header: BenchHeader
    hash_limit: dict[str, Any] | None
    scenarios: dict[str, dict[str, Any]]
    variants: dict[str, dict[str, Any]]
    scale: NotRequired[dict[str, Any]]
    # --curves (benchmarks/curves.py): scenarios, accounts, credentials, prune_commands, and per variant
    # accounts/credentials -> point -> {seed or logins, credentials_before/after (live, account, stored per table),
    # scenarios -> BenchFigure}, prune -> command -> {seconds, before, after}, growth -> axis -> scenario ->
    # {ms_per_request, p50: rules.growth (class, fitted_change, loglog_slope, fit), generator_bound_points}.
    curves: NotRequired[dict[str, Any]]
    # Per baseline scenario: rps_by_variant, median, deviation_pct, exceeded (rules.baseline_agreement: the same
    # endpoint under every variant must agree within the spread bound, else the run is marked).
    baseline_agreement: NotRequired[dict[str, Any]]


class ProfileHeader(Header):
    requests: int  # per round
    rounds: int  # unprofiled rounds, the median kept
    logins: int  # of the profiled account before its SQL statements are counted again


class ProfileSummary(TypedDict):
    """profile/summary.json: per variant where `me`'s time goes beyond `baseline_drf`, in process."""

    header: ProfileHeader
    variants: dict[str, dict[str, Any]]
