"""A pseudo-terminal for tests that need a real one (terminal widths, colours, the pager, help wrapping)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import termios


def open_terminal(columns: int, rows: int = 24) -> tuple[int, int]:
    """(master, slave) of a new pseudo-terminal of this size; give `slave` to the child and close it here."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return master, slave


def received(master: int, seconds: float = 30) -> bytes:
    """Everything the child wrote to the terminal, until it closed its side (or `seconds` of silence); closes `master`."""
    out = bytearray()
    while select.select([master], [], [], seconds)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return bytes(out)
