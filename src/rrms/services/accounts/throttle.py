"""Sign-in throttling: per account and per client address, with the `limits` library.

- **Per account**: 5 failed sign-ins within 15 minutes lock the account for the rest of
  that moving window; during a lockout even the right password is refused (429), so
  guessing cannot go on and simply wait for the lucky answer.
- **Per address**: 20 sign-in attempts a minute from one client address, successful
  or not (a successful sign-in does not reset it), so one client cannot try many
  accounts or slow everyone's pages with Argon2 work.

The counters live in the storage named by `RRMS_RATE_LIMIT_STORAGE` (a `limits`
storage URI). The default, `memory://`, is per process: with `rrms serve --workers N`
each worker counts alone, so an attacker gets at most N times the limits. Several
workers share exact counts with `redis://HOST:6379` or `memcached://HOST:11211`
(install the `limits` extra for it). Keys are the case-folded user name and the
address only; nothing of a password is kept.
"""

from __future__ import annotations

import math
import os
import time
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from rrms.domain.messages import N_, Message
from rrms.services.core.errors import TooManyAttempts

ACCOUNT_LIMIT: RateLimitItem = parse("5/15 minutes")
"""Failed sign-ins per account before it is locked for the rest of the window."""
ADDRESS_LIMIT: RateLimitItem = parse("20/minute")
"""Sign-in attempts per client address."""


def _refusal(seconds: int) -> Message:
    return N_("too many sign-in attempts; wait {seconds} seconds and try again", seconds=seconds)


@cache
def _storage() -> Storage:
    found = storage_from_string(os.environ.get("RRMS_RATE_LIMIT_STORAGE", "memory://"))
    if not isinstance(found, Storage):
        raise RuntimeError("RRMS_RATE_LIMIT_STORAGE names an async storage; use a sync one")
    return found


def _limiter() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(_storage())


def _retry_after(limit: RateLimitItem, *keys: str) -> int:
    stats = _limiter().get_window_stats(limit, *keys)
    return max(1, math.ceil(stats.reset_time - time.time()))


def before_sign_in(account: str, address: str | None) -> None:
    """Count an attempt from `address`; refuse (`TooManyAttempts`) if it or `account`
    is over its limit. Called before the password is checked."""
    limiter = _limiter()
    if address is not None and not limiter.hit(ADDRESS_LIMIT, "sign-in-address", address):
        seconds = _retry_after(ADDRESS_LIMIT, "sign-in-address", address)
        raise TooManyAttempts(_refusal(seconds), seconds)
    if not limiter.test(ACCOUNT_LIMIT, "sign-in-account", account):
        seconds = _retry_after(ACCOUNT_LIMIT, "sign-in-account", account)
        raise TooManyAttempts(_refusal(seconds), seconds)


def failed_sign_in(account: str) -> None:
    """Count a failed sign-in against `account`."""
    _limiter().hit(ACCOUNT_LIMIT, "sign-in-account", account)


def reset() -> None:
    """Forget every count (for tests, and after changing the storage)."""
    _storage().reset()
