"""The ``jnpolicy`` command line: ``app`` (the parser, the registry of commands, ``main``, and the
catalog and validate commands), ``checks`` (the checks of command-line values) and one module per
command group, each registering its commands in ``app.COMMANDS``. Every command module is imported
here, so ``jnpolicy``, ``python -m jnpolicy_analysis.cli`` and ``from jnpolicy_analysis.cli import
main`` all see every command.

Exit codes: 0 success; 2 bad input (``error: <file>: <field>: <message>`` on stderr, no traceback,
nothing written); 1 a run that failed.
"""

from __future__ import annotations

from .app import (
    COMMANDS,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    MAX_ERRORS,
    build_parser,
    command,
    main,
    strict_json,
)

# The command modules, in the order their commands are listed by --help (after catalog, validate).
# isort: off
from . import costing  # cost, compare
from . import sensitivity  # sensitivity
from . import evaluate  # evaluate
from . import targets  # targets, observe
from . import report  # report
from . import brief  # brief
from . import draft  # draft
# isort: on

__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_OK",
    "MAX_ERRORS",
    "brief",
    "build_parser",
    "command",
    "draft",
    "costing",
    "evaluate",
    "main",
    "report",
    "sensitivity",
    "strict_json",
    "targets",
]
