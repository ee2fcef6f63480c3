"""Run a kata on a real server: uvicorn serving the kata's site, and a fake upstream
server playing the services its view calls, each in a process of its own.

The parent opens each listening socket on 127.0.0.1 itself and hands it to the child
(``dojo.server.worker``), so a port in use is known at once and never raced for. Each child runs
in its own process group (Ctrl-C reaches the parent, which stops them in order) and stops
by itself when the parent goes away or its time is up. ``Servers`` is the context manager
that starts them and always stops them: leaving the ``with`` block, by an error or
Ctrl-C, ends every process it started.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from dojo.course.catalog import Kata
from dojo.errors import DojoError
from dojo.server.redirect import without_proxies
from dojo.server.worker import GRACE_SECONDS, READY

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_PORT = 65535
START_TIMEOUT = 30.0
LOG_TAIL_LINES = 12
# What a worker in a sandbox is given of the environment, nothing else: its settings, and
# the secrets they read from it, as a production site's would (the tests sign with them).
SANDBOX_ENV = ("DJANGO_SETTINGS_MODULE", "PYTHONUNBUFFERED", "PAYMENTS_WEBHOOK_SECRET")
SANDBOX_PATH = "/usr/bin:/bin"
# bwrap, the sandbox's first process (its reaper, PID 1 inside), then the command.
SANDBOX_DEPTH = 2
TRACEBACK_FRAME = re.compile(r'\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')


@dataclass(frozen=True)
class Target:
    """Which copy of a kata's learner files a site serves."""

    name: str
    directory: Path | None  # None: the kata's own folder, katas/

    @property
    def label(self) -> str:
        return f"{self.name.rstrip('/')}/"


def resolve_target(kata: Kata, name: str) -> Target:
    """``katas`` (the learner's code), ``solutions`` or a folder laid out like katas/."""
    if name in ("", "katas"):
        return Target("katas", None)
    directory = (kata.root / name).resolve()
    if not directory.is_dir():
        raise DojoError(f"TARGET={name}: there is no folder {directory}; try TARGET=solutions.")
    if not any((directory / kata.name / file).is_file() for file in kata.files):
        files = ", ".join(kata.files)
        raise DojoError(
            f"TARGET={name}: {name}/{kata.name}/ has none of the kata's files ({files})."
        )
    return Target(name, directory)


def listen(port: int | None, *, default: int | None = None) -> tuple[socket.socket, str]:
    """A listening socket on 127.0.0.1: on ``port`` when given (an error if it is taken),
    else on ``default`` when free, else on any free port. Also a note when the default was
    taken, for the banner."""
    if port is not None:
        if not 0 <= port <= MAX_PORT:
            raise DojoError(f"PORT={port} is not a port; choose one from 1024 to {MAX_PORT}.")
        try:
            return _bind(port), ""
        except OSError as error:
            raise DojoError(_port_problem(port, error)) from None
    if default is not None:
        with contextlib.suppress(OSError):
            return _bind(default), ""
    sock = _bind(0)
    note = (
        ""
        if default is None
        else (f"Port {default} is in use, so a free one was picked (choose with PORT=).")
    )
    return sock, note


class Server:
    """One child process serving on a socket of 127.0.0.1."""

    def __init__(
        self,
        role: str,
        sock: socket.socket,
        arguments: list[str],
        *,
        cwd: Path,
        log: IO[bytes] | None,
        max_seconds: float,
        sandbox: Callable[[list[str], dict[str, str]], list[str]] | None = None,
        limits: Callable[[], None] | None = None,
    ) -> None:
        """``sandbox`` shuts the worker in: it returns the command that runs the worker's
        command with that environment inside; ``limits`` runs in the child before it does."""
        self.role = role
        self.sandboxed = sandbox is not None
        self.port: int = sock.getsockname()[1]
        self.log = log
        ready_read, ready_write = os.pipe()
        self._ready = ready_read
        try:
            command = [
                sys.executable,
                "-m",
                "dojo.server.worker",
                role,
                "--fd",
                str(sock.fileno()),
                "--ready-fd",
                str(ready_write),
                "--max-seconds",
                str(max_seconds),
                *arguments,
            ]
            env = _child_environment()
            if sandbox is not None:
                env = {name: env[name] for name in SANDBOX_ENV if name in env}
                command = sandbox(command, env)
                # The sandbox's first process, seen from inside, holds the environment it
                # was given: only what the worker gets anyway, and where to find bwrap.
                env["PATH"] = SANDBOX_PATH
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                preexec_fn=limits,
                pass_fds=(sock.fileno(), ready_write),
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT if log is not None else None,
            )
        except BaseException:
            os.close(ready_read)
            raise
        finally:
            # The child holds the socket now: once it exits, the port refuses connections.
            os.close(ready_write)
            sock.close()

    @property
    def worker_pid(self) -> int:
        """The worker's own process: in a sandbox, it is the child of the sandbox's first
        process, itself the child of bwrap."""
        pid = self.process.pid
        for _ in range(SANDBOX_DEPTH if self.sandboxed else 0):
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                return pid
            if not children:
                return pid
            pid = int(children[0])
        return pid

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Return once the server serves; a DojoError if it stops or takes too long."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DojoError(
                        f"The {self.role} server did not start within {timeout:.0f} s."
                        f"{self.log_tail()}"
                    )
                readable, _, _ = select.select([self._ready], [], [], min(remaining, 0.2))
                if readable and os.read(self._ready, len(READY)) == READY:
                    return
                if readable:  # the end of the pipe: the child exited before it served
                    code = self.process.wait(timeout=GRACE_SECONDS)
                    raise DojoError(
                        f"The {self.role} server stopped while starting (exit {code})."
                        f"{self.log_tail()}"
                    )
        finally:
            with contextlib.suppress(OSError):
                os.close(self._ready)
            self._ready = -1

    def terminate(self) -> None:
        """Ask the process and its group to stop, without waiting."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """Stop the process and its group: politely, then by force. Safe to call twice."""
        if self._ready >= 0:
            os.close(self._ready)
            self._ready = -1
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=GRACE_SECONDS + 2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The last lines the server printed, indented, when they went to a log file."""
        if self.log is None:
            return " Its output is above."
        text = self._log_text()
        if not text:
            return ""
        tail = text.splitlines()[-lines:]
        return "\n" + "\n".join(f"    {line}" for line in tail)

    def last_error(self, root: Path) -> str:
        """The last exception in the server's log, and the last line of learner code (under
        ``root``'s katas/ or solutions/) it went through: "" when there is none."""
        text = self._log_text() if self.log is not None else ""
        start = text.rfind("Traceback (most recent call last):")
        if start < 0:
            return ""
        lines = text[start:].splitlines()
        error = next((line for line in reversed(lines) if line and not line[0].isspace()), "")
        where = ""
        for index, line in enumerate(lines):
            frame = TRACEBACK_FRAME.match(line)
            if frame and _is_learner_code(Path(frame["file"]), root):
                source = lines[index + 1].strip() if index + 1 < len(lines) else ""
                shown = Path(frame["file"]).relative_to(root)
                where = f"\n    at {shown}:{frame['line']}: {source}"
        return f"{error}{where}"

    def _log_text(self) -> str:
        assert self.log is not None
        with open(self.log.name, "rb") as log:
            return log.read().decode("utf-8", errors="replace").rstrip()


class Servers:
    """Starts servers and stops every one of them on the way out of its ``with`` block.

    With ``log_to_files``, each server's output goes to a temporary log (``make load``
    quotes it); else it goes to the terminal (``make serve``)."""

    def __init__(self, kata: Kata, *, max_seconds: float, log_to_files: bool) -> None:
        self.kata = kata
        self.max_seconds = max_seconds
        self.log_to_files = log_to_files
        self.servers: list[Server] = []
        self._stack = contextlib.ExitStack()
        self._log_dir: Path | None = None

    def __enter__(self) -> Servers:
        self._stack.enter_context(_terminations_raise())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with _interrupts_ignored(), self._stack:
            for server in self.servers:
                server.terminate()
            for server in self.servers:
                server.stop()

    def upstream(self, *, log: bool = False) -> Server:
        """Start the fake upstream that plays the kata's load scenario (no routes: none)."""
        routes = self.kata.load.upstream if self.kata.load else ()
        payload = json.dumps([route.to_dict() for route in routes])
        return self._start("upstream", listen(None)[0], ["--routes", payload, *_flag(log)])

    def site(
        self, target: Target, upstream: Server, sock: socket.socket, *, log: bool = False
    ) -> Server:
        """Start uvicorn serving the kata from ``target``, its upstream calls sent to ``upstream``."""
        arguments = ["--kata", self.kata.name, "--upstream-port", str(upstream.port), *_flag(log)]
        if self.kata.load is None or self.kata.load.cheap_http_clients:
            arguments.append("--cheap-http-clients")
        for middleware in self.kata.load.middleware if self.kata.load else ():
            arguments += ["--middleware", middleware]
        if self.kata.load is not None and self.kata.load.database:
            database = self._scratch() / f"{len(self.servers) + 1}-site.sqlite3"
            arguments += ["--load-database", str(database)]
        if target.directory is not None:
            arguments += ["--target-dir", str(target.directory)]
        return self._start("site", sock, arguments)

    def _scratch(self) -> Path:
        """A temporary folder for the servers' logs and databases, removed on the way out."""
        if self._log_dir is None:
            self._log_dir = Path(self._stack.enter_context(tempfile.TemporaryDirectory()))
        return self._log_dir

    def _start(self, role: str, sock: socket.socket, arguments: list[str]) -> Server:
        log: IO[bytes] | None = None
        if self.log_to_files:
            path = self._scratch() / f"{len(self.servers) + 1}-{role}.log"
            log = self._stack.enter_context(path.open("wb"))
        server = Server(
            role, sock, arguments, cwd=self.kata.root, log=log, max_seconds=self.max_seconds
        )
        self.servers.append(server)
        return server


def _is_learner_code(path: Path, root: Path) -> bool:
    return any(path.is_relative_to(root / folder) for folder in ("katas", "solutions"))


def _flag(log: bool) -> list[str]:
    return ["--log"] if log else []


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(1024)
    except BaseException:
        sock.close()
        raise
    return sock


def _port_problem(port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        free = _bind(0)
        suggestion = free.getsockname()[1]
        free.close()
        return (
            f"Port {port} on {HOST} is in use (another server?). Set PORT= to a free port, "
            f"like PORT={suggestion}, or leave PORT unset to have one picked."
        )
    return f"Cannot listen on {HOST}:{port} ({error.strerror}). Set PORT= to another port."


def _child_environment() -> dict[str, str]:
    env = without_proxies(dict(os.environ))
    env["DJANGO_SETTINGS_MODULE"] = "kata_project.settings"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while servers are being stopped, so that every one of them is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _terminations_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (a closed terminal) into SystemExit, so that leaving the
    ``with`` block stops the servers then too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {signum: signal.signal(signum, leave) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
