"""Reading a line at a terminal so that Ctrl-C and Ctrl-D always work at once.

``input()`` has a race: a Ctrl-C that lands after the prompt is drawn but before the
read starts is noted and then ignored until Enter (Python checks for signals only
when the read is interrupted). Here the signal also writes to a pipe that is
watched beside the terminal, so it interrupts the wait whenever it arrives.
"""

from __future__ import annotations

import os
import select
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def signal_pipe() -> Iterator[int]:
    """A pipe that becomes readable when a signal with a Python handler arrives."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end)
    try:
        yield read_end
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read_end)
        os.close(write_end)


def ask(prompt: str) -> str:
    """One line typed at the terminal (with its newline); ``EOFError`` on Ctrl-D.

    Ctrl-C raises ``KeyboardInterrupt`` at once, wherever the wait stands. Reads
    go straight to the descriptor: the terminal hands over one line per read, and
    nothing waits unseen in a buffer while ``select`` sleeps.
    """
    sys.stdout.write(prompt)
    sys.stdout.flush()
    terminal = sys.stdin.fileno()
    with signal_pipe() as signals:
        while True:
            ready, _, _ = select.select([terminal, signals], [], [])
            if terminal in ready:
                data = os.read(terminal, 65536)
                if not data:
                    raise EOFError
                return data.decode(sys.stdin.encoding or "utf-8", errors="replace")
            # A signal: its handler (KeyboardInterrupt for Ctrl-C) has run or runs now.
            os.read(signals, 512)
