"""essay-bot: read and discuss a published essay together, on Discord or in a terminal."""

__version__ = "0.1.0"
