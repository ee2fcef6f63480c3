"""A sandbox for graded code: the process that runs a learner's files sees only what it needs.

With bubblewrap (``bwrap``) the graded process gets PID, network, IPC and UTS namespaces of its
own (it cannot see or signal the grader, and has no network but its own loopback), a
filesystem view of the read-only system, Python and virtual environment plus the folders it
may write, no inherited environment, and it dies with the grader. When the grader runs as root
the process also drops to a user of its own (``nobody``), so it cannot reach root's files or
processes. Resource limits bound its memory, processes and CPU time.

Where no sandbox can be had (no ``bwrap``, or namespaces refused), ``find()`` says so and why;
the grade then records ``"sandbox": "none"``, and a strict grade refuses to run.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# The user graded code runs as, when the grader is root.
NOBODY = 65534
# Memory (address space), processes and threads, and CPU seconds a graded run may take. A
# kata's tests use well under a gigabyte; a learner's file that allocates more is stopped.
MEMORY_LIMIT = 2 * 1024**3
PROCESS_LIMIT = 512
CPU_SECONDS = 300
# The largest file a graded run may write (its folders lie on the grader's own disk): a
# kata's database and logs take a few megabytes; a file written on and on stops here.
FILE_SIZE_LIMIT = 256 * 1024**2
# What the graded process may read: the system, and the Python that runs it.
SYSTEM_DIRS = ("/usr", "/etc")
SYSTEM_LINKS = {"/bin": "usr/bin", "/sbin": "usr/sbin", "/lib": "usr/lib", "/lib64": "usr/lib64"}
INSTALL_HINT = "apt-get install bubblewrap"
# The environment inside, beneath what the caller passes: nothing else is inherited.
BASE_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8"}


@dataclass(frozen=True)
class Sandbox:
    """How graded code is shut in: ``kind`` is ``"bubblewrap"`` or ``"none"``; ``user`` is
    the user it runs as inside (None: the grader's own); ``why`` says what is missing."""

    kind: str
    user: int | None = None
    why: str | None = None

    @property
    def available(self) -> bool:
        return self.kind != "none"

    def describe(self) -> str:
        """One line for results.json and the summary."""
        if not self.available:
            return f"none ({self.why})"
        who = f"as user {self.user}" if self.user is not None else "as the grader's own user"
        return (
            f"bubblewrap: own PID, network, IPC and UTS namespaces, {who}, a filesystem view "
            f"of the system, Python and the graded copy only, at most "
            f"{MEMORY_LIMIT // 1024**3} GiB of memory, {PROCESS_LIMIT} processes, "
            f"{CPU_SECONDS} s of CPU, files of {FILE_SIZE_LIMIT // 1024**2} MiB"
        )

    def wrap(
        self,
        command: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        readable: Iterable[Path] = (),
        writable: Iterable[Path] = (),
    ) -> list[str]:
        """``command`` as run inside the sandbox, with exactly ``env`` for its environment;
        ``writable`` folders are handed to the sandbox's user."""
        if not self.available:
            return list(command)
        to_write = [path.resolve() for path in writable]
        to_read = [path.resolve() for path in (*_python_dirs(), *readable)]
        if self.user is not None:
            for folder in to_write:
                _hand_over(folder, self.user)
        args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
                "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--clearenv"]  # fmt: skip
        if self.user is None:
            # Not root: a user namespace lets bwrap make the others without privileges.
            args.append("--unshare-user")
        for name, value in sorted({**BASE_ENV, **env}.items()):
            args += ["--setenv", name, value]
        for system in SYSTEM_DIRS:
            args += ["--ro-bind", system, system]
        for link, to in SYSTEM_LINKS.items():
            if os.path.islink(link):
                args += ["--symlink", to, link]
        # A /tmp of its own first: the folders bound below may lie in the grader's /tmp.
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        # bwrap makes the folders leading to a bound one private to root: open them to all.
        for folder in sorted(_ancestors([*to_read, *to_write, cwd.resolve()])):
            args += ["--perms", "0755", "--dir", str(folder)]
        for folder in to_read:
            args += ["--ro-bind", str(folder), str(folder)]
        for folder in to_write:
            args += ["--bind", str(folder), str(folder)]
        args += ["--chdir", str(cwd)]
        if self.user is not None:
            args += ["setpriv", f"--reuid={self.user}", f"--regid={self.user}", "--clear-groups",
                     "--no-new-privs", "--bounding-set=-all"]  # fmt: skip
        return [*args, *command]

    def limits(self) -> Callable[[], None] | None:
        """Set in the child before it starts: the resource limits of a graded run."""
        if not self.available:
            return None
        return _set_limits


def find() -> Sandbox:
    """The best sandbox this machine offers, tried once for real."""
    if shutil.which("bwrap") is None:
        return Sandbox("none", why=f"bubblewrap is not installed: {INSTALL_HINT}")
    user = NOBODY if os.geteuid() == 0 and shutil.which("setpriv") else None
    candidate = Sandbox("bubblewrap", user)
    here = Path(sys.prefix)
    probe = candidate.wrap([sys.executable, "-c", "pass"], env={}, cwd=here)
    try:
        tried = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Sandbox("none", why=f"bubblewrap could not start: {error}")
    if tried.returncode != 0:
        reason = (tried.stderr.strip().splitlines() or ["no reason given"])[-1]
        return Sandbox("none", why=f"bubblewrap could not make its namespaces here: {reason}")
    return candidate


def none(why: str) -> Sandbox:
    """No sandbox, for the reason given."""
    return Sandbox("none", why=why)


def _python_dirs() -> list[Path]:
    """The virtual environment and the Python installation it was made from."""
    return sorted({Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).parent})


def _ancestors(paths: Iterable[Path]) -> set[Path]:
    found: set[Path] = set()
    for path in paths:
        found.update(parent for parent in path.parents if parent != Path("/"))
    return found - {Path(folder) for folder in SYSTEM_DIRS}


def _hand_over(folder: Path, user: int) -> None:
    os.chown(folder, user, user)
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            os.chown(os.path.join(root, name), user, user, follow_symlinks=False)


def _set_limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_NPROC, (PROCESS_LIMIT, PROCESS_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
