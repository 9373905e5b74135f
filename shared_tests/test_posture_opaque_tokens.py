"""Posture: the quality of opaque tokens, judged from 50 of them issued by logins.

Fifty accounts register, then each logs in once, in a seeded shuffled order, so that the order tokens were
issued in (time) and the order of the accounts' ids (registration) differ and each relation is tested apart.
One login per account works for every library, including those that keep one token per user. A library that
prefixes its tokens declares the prefix in its manifest (`[credential] prefix = "..."`); the prefix is
checked both ways (an undeclared shared prefix fails, and so does a declared one the tokens lack). JWT
variants are n/a, pinned by the verified `credential_kind` claim (harness.posture).
"""

from __future__ import annotations

import base64
import binascii
import random
import string
import time
from dataclasses import dataclass

import pytest

from harness.cases.failure import SEED
from harness.client import ContractClient, User
from harness.manifest import Manifest
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.observe import is_jwt

pytestmark = pytest.mark.posture
SAMPLE = 50
# |Spearman rho| between issue order and the tokens' sort order. For 50 unrelated tokens rho has a standard
# deviation of 1/7; 0.6 is more than four of them (a chance of about 3 in 100,000 to fail a random token).
ORDER_LIMIT = 0.6
CLOCK_SLACK = 2 * 86400  # an embedded timestamp within two days of issue counts, whatever the server's clock


@dataclass(frozen=True)
class Issued:
    token: str
    account: User
    rank: int  # registration order: the accounts' ids are auto-incremented in this order
    issued_at: float


def declared_prefix(manifest: Manifest) -> str:
    return manifest.data.get("credential", {}).get("prefix", "")


@pytest.fixture(scope="module")
def opaque_tokens(manifest: Manifest, server: Server) -> list[Issued]:
    """SAMPLE tokens, in the order they were issued; empty for a variant whose credential is a JWT (n/a)."""
    accounts = [User.new() for _ in range(SAMPLE)]
    with ContractClient(manifest, server.base_url) as client:
        for account in accounts:
            client.fresh().register(account)
        order = list(range(SAMPLE))
        random.Random(SEED).shuffle(order)
        issued = []
        for rank in order:
            device = client.fresh()
            device.login(accounts[rank])
            issued.append(Issued(device.credentials["access"], accounts[rank], rank, time.time()))
    return [] if any(is_jwt(entry.token) for entry in issued) else issued


def _applies(tokens: list[Issued], manifest: Manifest, posture: PostureCheck) -> bool:
    if tokens:
        return True
    posture.verify(NOT_APPLICABLE, "the login's access credential is a JWT, not an opaque token")
    return False


def spearman(xs: list[int], ys: list[int]) -> float:
    """Spearman's rank correlation of two rankings of the same items (no ties)."""
    n = len(xs)
    return 1 - 6 * sum((x - y) ** 2 for x, y in zip(xs, ys, strict=True)) / (n * (n * n - 1))


def common_prefix(tokens: list[str]) -> str:
    shortest = min(tokens, key=len)
    for index, chars in enumerate(zip(*tokens, strict=False)):
        if len(set(chars)) > 1:
            return shortest[:index]
    return shortest


def sort_ranks(tokens: list[str]) -> list[int]:
    ranks = {token: index for index, token in enumerate(sorted(tokens))}
    return [ranks[token] for token in tokens]


def decoded(token: str) -> bytes:
    """The bytes a token's text encodes, when it is hex or base64(url); else its text."""
    if set(token) <= set(string.hexdigits) and len(token) % 2 == 0:
        return bytes.fromhex(token)
    try:
        return base64.urlsafe_b64decode(token.replace("+", "-").replace("/", "_") + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return token.encode()


def timestamp_windows(tokens: list[Issued]) -> list[str]:
    """Byte windows that hold the issue time (seconds in 4 bytes, milliseconds in 6, either byte order) in at
    least 90 % of the tokens: an embedded clock. A window that matches by chance in one token never does in 45."""
    found = []
    blobs = [(decoded(entry.token), entry.issued_at) for entry in tokens]
    for width, scale in ((4, 1), (6, 1000)):
        for order in ("big", "little"):
            for start in range(min(len(blob) for blob, _ in blobs) - width + 1):
                hits = sum(
                    abs(int.from_bytes(blob[start : start + width], order) - at * scale) <= CLOCK_SLACK * scale
                    for blob, at in blobs
                )
                if hits >= 0.9 * len(blobs):
                    found.append(f"bytes {start}-{start + width - 1} ({order}-endian, {'ms' if scale > 1 else 's'})")
    return found


def test_opaque_tokens_never_repeat(opaque_tokens: list[Issued], manifest: Manifest, posture: PostureCheck) -> None:
    if not _applies(opaque_tokens, manifest, posture):
        return
    tokens = [entry.token for entry in opaque_tokens]
    repeated = len(tokens) - len(set(tokens))
    posture.passes_if(repeated == 0, f"{len(tokens)} tokens from logins of {len(tokens)} accounts, {repeated} repeated")


def test_opaque_tokens_share_nothing_but_a_declared_prefix(
    opaque_tokens: list[Issued], manifest: Manifest, posture: PostureCheck
) -> None:
    if not _applies(opaque_tokens, manifest, posture):
        return
    tokens, prefix = [entry.token for entry in opaque_tokens], declared_prefix(manifest)
    common = common_prefix(tokens)
    shortest = min(map(len, tokens))
    fixed = [index for index in range(shortest) if len({token[index] for token in tokens}) == 1]
    undeclared = [index for index in fixed if index >= len(prefix)]
    evidence = (
        f"declared prefix {prefix!r}; common prefix of {len(tokens)} tokens {common!r}; positions the same in all: "
        f"{undeclared or 'none'} beyond the declared prefix; e.g. {tokens[0][:12]}…"
    )
    posture.passes_if(common.startswith(prefix) and not undeclared, evidence)


def test_opaque_tokens_not_ordered_by_issue_time(
    opaque_tokens: list[Issued], manifest: Manifest, posture: PostureCheck
) -> None:
    if not _applies(opaque_tokens, manifest, posture):
        return
    rho = spearman(list(range(len(opaque_tokens))), sort_ranks([entry.token for entry in opaque_tokens]))
    clocks = timestamp_windows(opaque_tokens)
    evidence = f"Spearman rho(issue order, sort order) = {rho:+.2f} (limit ±{ORDER_LIMIT}); "
    evidence += f"embedded clock: {clocks or 'none'}"
    posture.passes_if(abs(rho) < ORDER_LIMIT and not clocks, evidence)


def test_opaque_tokens_unrelated_to_the_user(
    opaque_tokens: list[Issued], manifest: Manifest, posture: PostureCheck
) -> None:
    if not _applies(opaque_tokens, manifest, posture):
        return
    rho = spearman([entry.rank for entry in opaque_tokens], sort_ranks([entry.token for entry in opaque_tokens]))
    named = [
        entry.account.username
        for entry in opaque_tokens
        if any(part in text for part in (entry.account.username, entry.account.email.split("@")[0])
               for text in (entry.token, decoded(entry.token).decode("latin-1")))
    ]  # fmt: skip
    evidence = f"Spearman rho(account id order, sort order) = {rho:+.2f} (limit ±{ORDER_LIMIT}); "
    evidence += f"tokens naming their account: {len(named)}"
    posture.passes_if(abs(rho) < ORDER_LIMIT and not named, evidence)
