"""How every sub-command reports: results on stdout, one error line on stderr, exit codes.

Exit codes: 0 done, 2 refused (bad input or settings: nothing was changed),
1 failed (the database, the essays or Discord could not be used). With ``--json``
an error is ``{"error": "..."}`` on stderr, with the same code, so a script can
parse both streams.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextvars import ContextVar
from typing import NoReturn

REFUSED = 2
FAILED = 1

#: Set by ``main`` from the command line: argparse's own errors are JSON too.
json_errors: ContextVar[bool] = ContextVar("json_errors", default=False)


class Failure(Exception):
    """A command cannot go on; ``main`` prints the message once and exits with ``code``."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def report_error(message: str, *, as_json: bool) -> None:
    if as_json:
        sys.stderr.write(json.dumps({"error": message}, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(f"error: {message}\n")


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


class Parser(argparse.ArgumentParser):
    """argparse, with its usage errors in JSON when the command line asked for ``--json``."""

    def error(self, message: str) -> NoReturn:
        if json_errors.get():
            report_error(message, as_json=True)
            sys.exit(REFUSED)
        super().error(message)
