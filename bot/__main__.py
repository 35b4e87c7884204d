"""``python -m bot``: the bot, its offline console and its one-shot commands."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
