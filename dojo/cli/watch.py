"""Watch mode: run the current kata, rerun it on every save, and wait for the learner's keys.

It starts at the first kata that is not solved (or a chosen one), shows a progress bar,
and reruns whenever a file of that kata changes (watchfiles; ``poll=True`` polls instead,
for network drives and WSL). When the kata passes it says so and offers the solution, but
moves on only when the learner presses ``n``: never by accident.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import termios
import threading
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import watchfiles

from dojo.course.catalog import Kata
from dojo.course.progress import SOLVED, Progress
from dojo.room.follow import ROOM_EVENT, follow_room

KEYS = "[enter] run  [h] hint  [n] next  [l] list  [r] reset  [s] solution  [q] quit"
BAR_WIDTH = 30


class Watcher:
    """The watch loop over the katas of one checkout."""

    def __init__(self, root: Path, katas: list[Kata], start: int, *, poll: bool) -> None:
        self.root = root
        self.katas = katas
        self.index = start
        self.poll = poll
        self.events: queue.Queue[str] = queue.Queue()
        self.stop = threading.Event()

    @property
    def kata(self) -> Kata:
        return self.katas[self.index]

    def run(self) -> int:
        with _cbreak(sys.stdin):
            threading.Thread(target=self._read_keys, daemon=True).start()
            threading.Thread(target=self._watch_files, daemon=True).start()
            room = (self.root, self.events, self.stop)
            threading.Thread(target=follow_room, args=room, daemon=True).start()
            try:
                self._rerun()
                self._prompt()
                while True:
                    event = self.events.get()
                    if event == "q":
                        print("\nBye! Your progress is saved; make watch picks up from here.")
                        return 0
                    self._handle(event)
            except KeyboardInterrupt:
                print("\nStopped. Your progress is saved; make watch picks up from here.")
                return 0
            finally:
                self.stop.set()

    def _handle(self, event: str) -> None:
        if event in ("changed", "\n", "\r"):
            self._rerun()
        elif event == "h":
            self._dojo("hint", str(self.kata.number), "--in-watch")
        elif event == "l":
            self._dojo("list")
        elif event == "s":
            self._dojo("solution", str(self.kata.number))
        elif event == "r":
            if self._sure_to_reset():
                self._dojo("reset", str(self.kata.number))
                self._rerun()
        elif event.startswith(ROOM_EVENT):
            self._follow_room(event.removeprefix(ROOM_EVENT))
        elif event == "n":
            if self.index + 1 < len(self.katas):
                self.index += 1
                self._rerun()
            else:
                print("This is the last kata. Well done!")
        self._prompt()

    def _rerun(self) -> None:
        print("\033[2J\033[H" if sys.stdout.isatty() else "", end="")
        print(self._progress_bar())
        passed = self._dojo("run", str(self.kata.number)) == 0
        if passed:
            print(
                f"\n🎉 Kata {self.kata.number:02d} is solved. Press [s] to compare with the "
                "reference fix, [n] for the next kata."
            )

    def _follow_room(self, news: str) -> None:
        """The room's facilitator set a kata (move to it), or the room has news (say it)."""
        names = [kata.name for kata in self.katas]
        if news not in names:
            print(f"\n{news}")
        elif names.index(news) != self.index:
            self.index = names.index(news)
            self._rerun()
            print(f"\nThe room's facilitator moved the room to kata {self.kata.number:02d}.")

    def _sure_to_reset(self) -> bool:
        """A solved kata is reset only on a second key: one stray [r] must not undo it."""
        if Progress.load(self.root).state(self.kata) != SOLVED:
            return True
        print(
            f"\nKata {self.kata.number:02d} is solved. Reset it to the starter anyway? Your "
            "version is backed up in .dojo-backups/. [y] yes, any other key: no",
            flush=True,
        )
        if self.events.get() == "y":
            return True
        print("Not reset.")
        return False

    def _prompt(self) -> None:
        print(f"\nWatching katas/{self.kata.name}/ for changes.  {KEYS}", flush=True)

    def _progress_bar(self) -> str:
        progress = Progress.load(self.root)
        solved = sum(progress.state(kata) == SOLVED for kata in self.katas)
        filled = round(BAR_WIDTH * solved / max(len(self.katas), 1))
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        return f"Progress {bar} {solved}/{len(self.katas)} solved\n"

    def _dojo(self, *args: str) -> int:
        command = [sys.executable, "-m", "dojo", *args]
        env = {**os.environ, "DOJO_ROOT": str(self.root)}
        return subprocess.run(command, cwd=self.root, env=env, check=False).returncode

    def _read_keys(self) -> None:
        while not self.stop.is_set():
            key = sys.stdin.read(1)
            if not key:  # end of input
                self.events.put("q")
                return
            self.events.put(key.lower())

    def _watch_files(self) -> None:
        watched = ""
        for changes in watchfiles.watch(
            self.root / "katas",
            stop_event=self.stop,
            force_polling=self.poll,
            poll_delay_ms=300,
            debounce=200,
            raise_interrupt=False,
        ):
            watched = f"/katas/{self.kata.name}/"
            if any(watched in path and path.endswith(".py") for _, path in changes):
                self.events.put("changed")


@contextmanager
def _cbreak(stream: object) -> Iterator[None]:
    """Single keys without Enter, when ``stream`` is a terminal; restored on the way out."""
    fileno = getattr(stream, "fileno", None)
    if fileno is None or not os.isatty(fileno()):
        yield
        return
    saved = termios.tcgetattr(fileno())
    try:
        tty.setcbreak(fileno())
        yield
    finally:
        termios.tcsetattr(fileno(), termios.TCSADRAIN, saved)
