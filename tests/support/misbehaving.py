"""A parse stand-in that misbehaves on request, for the capped child's tests (the child
imports it by name, so it lives in a module)."""

from __future__ import annotations

import os
import signal
import time

from hub.indexing.document import ParseError


def act(kind: str, origin: str):
    """Return the origin, or hang, allocate without end, crash or refuse, as asked."""
    if kind == "hang":
        time.sleep(3600)
    elif kind == "memory":
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))
    elif kind == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "refuse":
        raise ParseError(origin, "refused on purpose")
    return origin
