"""Make or resume the room under build/room/, print how to join it, and serve it on uvicorn.

The room lives in one SQLite file: running the server again resumes the same room, with the
same code, token and (when free) port, so the pairs' join lines still work. It listens on
127.0.0.1 unless told otherwise; the lines it prints use an address the pairs can reach.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from dojo.errors import DojoError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
EVERYWHERE = ("0.0.0.0", "::", "")
# Seconds an open dashboard stream may hold up Ctrl-C before it is cut.
SHUTDOWN_GRACE = 1
# Dashboards and senders come back every few seconds: keep their connections a while.
KEEP_ALIVE = 30


@dataclass(frozen=True)
class Opened:
    """A room ready to serve: where, and the two lines that tell people how to use it."""

    code: str
    token: str
    address: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}/{self.code}/"

    @property
    def dashboard(self) -> str:
        return f"{self.url}#token={self.token}"

    def banner(self) -> str:
        return "\n".join(
            [
                f"The dojo room {self.code} is open.",
                f"  Pairs join with:   make join ROOM={self.url} NAME=<an animal>",
                f"  Your dashboard:    {self.dashboard}",
                "  (the token after # opens the controls: keep it off the projector's address bar)",
                "Ctrl-C stops the room; make room again resumes it.",
            ]
        )


def prepare(room_dir: Path) -> tuple[str, str]:
    """Set Django up for the room in ``room_dir``, bring its database up to date, and
    return the room's code and token (a new room the first time)."""
    room_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DOJO_ROOM_DIR"] = str(room_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dojo.room.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from dojo.room.models import Room

    room = Room.objects.first() or Room.objects.create()
    return room.code, room.token


def listen(host: str, port: int | None, room_dir: Path) -> socket.socket:
    """A listening socket: on ``port`` if given, else on the room's last port, else on
    DEFAULT_PORT, else on any free one. The port is remembered for the next start."""
    saved = room_dir / "port.json"
    remembered = None
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        remembered = int(json.loads(saved.read_text())["port"])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    tries = (
        [port] if port is not None else [p for p in (remembered, DEFAULT_PORT, 0) if p is not None]
    )
    for candidate in tries:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, candidate))
            sock.listen(1024)
        except OSError as error:
            sock.close()
            if port is not None:
                raise DojoError(
                    f"Cannot listen on {host}:{port} ({error.strerror}); leave PORT unset "
                    "to have one picked."
                ) from None
            continue
        saved.write_text(json.dumps({"port": sock.getsockname()[1]}))
        return sock
    raise DojoError(f"Cannot listen on {host}: no port was free.")


def reachable_address(host: str) -> str:
    """The address the pairs use: the host itself, or this machine's address on the room's
    network when listening everywhere (found by the route a UDP socket would take; no
    packet is sent)."""
    if host not in EVERYWHERE:
        return f"[{host}]" if ":" in host else host
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed like any address, never reached
        address: str = probe.getsockname()[0]
        return address
    return socket.gethostname()


def serve(sock: socket.socket) -> None:
    """Serve the room on ``sock`` until Ctrl-C (or SIGTERM)."""
    import uvicorn

    from dojo.room.asgi import application

    config = uvicorn.Config(
        application,
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
        timeout_keep_alive=KEEP_ALIVE,
    )
    uvicorn.Server(config).run(sockets=[sock])
