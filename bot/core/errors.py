"""Exceptions whose message is meant for the person who typed the command.

Every front end (Discord, console, CLI) shows a ``UserError``'s message as it is and
treats any other exception as a bug, so the wording here must be short and final.
"""


class UserError(Exception):
    """Something the user can fix: bad input, an unknown name, a refused action."""


class InvalidInput(UserError):
    """The input was empty, too long, or otherwise unusable."""


class NotFound(UserError):
    """The named section, speaker or prompt does not exist (here)."""


class Forbidden(UserError):
    """The user may not do this."""


class StorageError(UserError):
    """The database cannot be used (read-only, locked, corrupt, too new)."""
