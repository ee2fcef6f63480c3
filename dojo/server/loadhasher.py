"""A password hasher whose check costs a chosen amount of CPU on this machine, for the
served site of a kata about that cost (``[load] password_check``): Django's own default
takes seconds on a busy machine, far too long for a burst."""

from __future__ import annotations

import hashlib
import time

from django.contrib.auth.hashers import PBKDF2PasswordHasher

# Rounds timed to measure this machine's speed.
SAMPLE_ROUNDS = 20_000


class LoadPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with as many rounds as ``calibrate`` found cost the chosen seconds."""

    algorithm = "pbkdf2_sha256_dojo_load"

    @classmethod
    def calibrate(cls, seconds: float) -> None:
        """Set the rounds so that one check costs about ``seconds`` of CPU here."""
        started = time.perf_counter()
        hashlib.pbkdf2_hmac("sha256", b"password", b"salt", SAMPLE_ROUNDS)
        elapsed = max(time.perf_counter() - started, 1e-6)
        cls.iterations = max(1, round(SAMPLE_ROUNDS * seconds / elapsed))
