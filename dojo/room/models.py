"""A room, the pairs in it, and their lights: one light per test run a pair sent."""

from __future__ import annotations

import secrets
import string
from typing import Any, ClassVar

from django.db import models

CODE_ALPHABET = "".join(sorted(set(string.ascii_lowercase + string.digits) - set("01lo")))
CODE_LENGTH = 6
COLOURS = ("red", "amber", "green", "timeout")


def new_code() -> str:
    """A short room code, easy to read aloud (no 0/o or 1/l)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    """The facilitator's token: long, for the controls only."""
    return secrets.token_urlsafe(24)


class Room(models.Model):
    """The room: its code for the pairs, the facilitator's token, and what the controls set."""

    # Declared, as the type checker reads the kata project's settings, not the room's.
    objects: ClassVar[models.Manager[Room]] = models.Manager()

    code = models.CharField(max_length=16, unique=True, default=new_code)
    token = models.CharField(max_length=64, default=new_token)
    created = models.DateTimeField(auto_now_add=True)
    kata = models.CharField(max_length=80, blank=True)
    paused = models.BooleanField(default=False)
    rotation_minutes = models.PositiveIntegerField(default=0)
    rotation_started = models.DateTimeField(null=True, blank=True)

    def state(self) -> dict[str, Any]:
        """What the pairs and the dashboards are told of the room."""
        started = self.rotation_started
        return {
            "code": self.code,
            "kata": self.kata,
            "paused": self.paused,
            "rotation_minutes": self.rotation_minutes,
            "rotation_started": started.isoformat() if started else None,
        }


class Pair(models.Model):
    """A pair at one laptop, known by the name it joined with (an animal, by default)."""

    # Declared, as the type checker reads the kata project's settings, not the room's.
    objects: ClassVar[models.Manager[Pair]] = models.Manager()

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="pairs")
    name = models.CharField(max_length=40)
    # Kept by the pair's checkout (build/room/joined.json): only it may send as this pair.
    key = models.CharField(max_length=64)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["room", "name"], name="one_name_a_room")
        ]


class Light(models.Model):
    """One test run: which kata, its colour, the counts, and the diff of the learner files
    against the shipped starter at that moment."""

    # Declared, as the type checker reads the kata project's settings, not the room's.
    objects: ClassVar[models.Manager[Light]] = models.Manager()

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="lights")
    kata = models.CharField(max_length=80)
    colour = models.CharField(max_length=8, choices=[(c, c) for c in COLOURS])
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    duration = models.FloatField(default=0.0)
    diff = models.TextField(blank=True)
    sent_id = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]
        # A light resent after a lost answer is stored once.
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["pair", "sent_id"], name="sent_once")
        ]

    def summary(self, pair_name: str) -> dict[str, Any]:
        """The light as a dashboard draws it (the diff is fetched on a click)."""
        return {
            "id": self.pk,
            "pair": pair_name,
            "kata": self.kata,
            "colour": self.colour,
            "passed": self.passed,
            "failed": self.failed,
            "duration": round(self.duration, 2),
            "at": self.at.isoformat(),
        }
