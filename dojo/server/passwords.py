"""A password hasher whose check costs a chosen amount of CPU on this machine.

Django's own default takes whatever the machine makes of 1.2 million PBKDF2 rounds: about
0.8 s here, half that on a fast laptop, seconds on a busy one. The kata about that cost
needs a known cost instead: its tests (``slow_password_hashing``, in-process and on the
served site alike) and its load scenario (``[load] password_check``) set the rounds with
``rounds_costing`` and the ``DOJO_PASSWORD_ROUNDS`` setting, and read back when each check
ran (``CHECKS``).
"""

from __future__ import annotations

import functools
import hashlib
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

HASHER = "dojo.server.passwords.CalibratedPBKDF2PasswordHasher"
# Where a served site answers its CHECKS (GET), or forgets them (POST).
CHECKS_PATH = "/__dojo__/password-checks"
ROUNDS_SETTING = "DOJO_PASSWORD_ROUNDS"
_SAMPLE_ROUNDS = 50_000

# When each password check of this process ran (perf_counter intervals, from whichever
# thread ran it). perf_counter is the system's monotonic clock: the test process can set
# a served site's checks beside its own requests' times.
CHECKS: list[tuple[float, float]] = []


class CalibratedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 hasher (same algorithm name, so Django treats its hashes as current
    and never rehashes them at login), with the rounds ``DOJO_PASSWORD_ROUNDS`` says."""

    # Django's is a class attribute; this one reads the setting the test or scenario set.
    @property
    def iterations(self) -> int:  # type: ignore[override]
        return int(getattr(settings, ROUNDS_SETTING, PBKDF2PasswordHasher.iterations))

    def verify(self, password: str, encoded: str) -> bool:
        start = time.perf_counter()
        try:
            return super().verify(password, encoded)
        finally:
            CHECKS.append((start, time.perf_counter()))


def calibrated(seconds: float) -> dict[str, Any]:
    """The settings that make one password check cost about ``seconds`` of CPU here."""
    return {"PASSWORD_HASHERS": [HASHER], ROUNDS_SETTING: rounds_costing(seconds)}


@functools.cache
def rounds_costing(seconds: float) -> int:
    """The PBKDF2 rounds one check of ``seconds`` of CPU takes on this machine."""
    # CPU time of this thread, not wall time: a busy machine must not lower the cost.
    best = min(_cpu_time_of(_SAMPLE_ROUNDS) for _ in range(3))
    return max(_SAMPLE_ROUNDS, round(_SAMPLE_ROUNDS * seconds / best))


def _cpu_time_of(rounds: int) -> float:
    started = time.thread_time()
    hashlib.pbkdf2_hmac("sha256", b"calibration", b"dojo-salt", rounds)
    return max(time.thread_time() - started, 1e-6)
