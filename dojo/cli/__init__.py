"""The command line: ``python -m dojo VERB``, one module per verb in ``dojo.cli.commands``.

Each command module has a docstring (its description), ``HELP`` (one line for the list of
verbs), ``add_arguments(parser)`` and ``main(args) -> int``. A ``DojoError`` becomes one
line on stderr and exit 2; Ctrl-C exits 130 without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from dojo.errors import DojoError

COMMANDS = (
    "run",
    "watch",
    "hint",
    "list",
    "reset",
    "solution",
    "verify",
    "new",
    "bench",
    "test",
    "serve",
    "load",
    "grade",
    "room",
    "join",
    "leave",
    "room-load",
)


def command_modules(names: Sequence[str] = COMMANDS) -> list[ModuleType]:
    """The command modules named, in the order of COMMANDS."""
    return [
        importlib.import_module(f"dojo.cli.commands.{name.replace('-', '_')}") for name in names
    ]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every verb, or of ``only`` (so running one verb imports just its module,
    which keeps a learner's wait for a verdict short)."""
    parser = argparse.ArgumentParser(
        prog="python -m dojo",
        description="Async Django Dojo: learn async Django by fixing broken views.",
    )
    verbs = parser.add_subparsers(dest="command", metavar="VERB")
    names = [only] if only in COMMANDS else list(COMMANDS)
    for name, module in zip(names, command_modules(names), strict=True):
        sub = verbs.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments[0] if arguments else None)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args))
    except DojoError as error:
        print(f"dojo: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
