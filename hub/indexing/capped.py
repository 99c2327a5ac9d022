"""Run one parse of untrusted input in a child process with a memory cap and a time limit.

Files are untrusted: a hostile or broken one can make a parser loop, allocate without end,
recurse until the interpreter gives up, or crash. Every parse therefore runs in a child forked
from a forkserver that has the parsers loaded (so a file costs milliseconds, not an interpreter
start); the child's address space is capped with RLIMIT_AS, the parent waits at most the time
limit and kills it after that, and the child dies with its parent (PR_SET_PDEATHSIG on the
forkserver, which itself exits when its parent does). Every way a child can fail ends in a
CappedProblem naming the file and the reason in one line.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hub.indexing.document import ParseError
from hub.indexing.error_page import NothingToStore

MEMORY_CAP = 1 << 30  # bytes of address space for the child
TIME_LIMIT = 50.0  # seconds a file may take (with the child's start, under a minute)
MAX_TEXT_CHARS = 5_000_000  # characters of text in one file: a 2,000-page report holds less

_CONTEXT = multiprocessing.get_context("forkserver")
_PR_SET_PDEATHSIG = 1
_inside_child = False  # set in a child: a nested capped call runs in place


@dataclass(frozen=True)
class Limits:
    """How much one file may cost: address space, seconds, and characters of text."""

    memory_cap: int = MEMORY_CAP
    time_limit: float = TIME_LIMIT
    max_text_chars: int = MAX_TEXT_CHARS


class CappedProblem(ParseError):
    """A file whose parse failed in its child; `kind` says why in one word."""

    KINDS = ("timeout", "memory", "crashed", "too-much-text")

    def __init__(self, origin: str, kind: str, problem: str):
        super().__init__(origin, problem)
        self.kind = kind

    def __reduce__(self):
        return self.__class__, (self.origin, self.kind, self.problem)


@dataclass
class Cost:
    """What a capped call cost: wall-clock seconds and the child's peak resident set in bytes."""

    seconds: float = 0.0
    peak_memory: int = 0


def run_capped(func: Callable, args: tuple, origin: str, limits: Limits = Limits(),
               problem: type[CappedProblem] = CappedProblem, cost: Cost | None = None):
    """func(*args) in a capped child; what it returns or raises (a ParseError), else problem.

    func and its arguments and result must pickle (func by module and name). Called inside a
    capped child, func runs in place: the child is capped already.
    """
    if _inside_child:
        return func(*args)
    _preload_once()
    started = time.monotonic()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(func, args, sender, limits, problem, origin))
    child.start()
    sender.close()
    try:
        message = _receive(receiver, limits.time_limit)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if cost is not None:
        cost.seconds = time.monotonic() - started
        cost.peak_memory = message[2] if isinstance(message, tuple) else limits.memory_cap
    if message is None:
        raise _timeout(problem, origin, limits)
    if message == "died":
        raise _death(problem, origin, child.exitcode, limits.memory_cap)
    if message[0] == "raise":
        raise message[1]
    return message[1]


def run_capped_batch(func: Callable, calls: list[tuple[tuple, str]], limits: Limits = Limits(),
                     problem: type[CappedProblem] = CappedProblem) -> Iterator[tuple[int, tuple]]:
    """func(*args) for each (args, origin) of calls, in one capped child for many small files.

    Yields (position, ("ok", result)) or (position, ("raise", ParseError)) in order, each as
    soon as it is known. Every call has the whole time limit; the child is capped as one. A
    child that runs out of time fails the call it was on; one that dies (the memory cap, a
    crash) fails it only if it was the child's first call, else that call runs alone (what
    the batch held before may be to blame); the calls after it go on in a new child.
    """
    if _inside_child:
        yield from ((n, _outcome(func, args, limits, problem, origin))
                    for n, (args, origin) in enumerate(calls))
        return
    _preload_once()
    start = 0
    while start < len(calls):
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        child = _CONTEXT.Process(target=_batch_child,
                                 args=(func, calls[start:], sender, limits, problem))
        child.start()
        sender.close()
        first, failed = start, None
        try:
            while start < len(calls):
                message = _receive(receiver, limits.time_limit)
                if message is None or message == "died":
                    failed = "timeout" if message is None else "died"
                    break
                yield start, message
                start += 1
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receiver.close()
        if failed is None:
            continue
        args, origin = calls[start]
        if failed == "timeout":
            outcome = ("raise", _timeout(problem, origin, limits))
        elif start == first:
            outcome = ("raise", _death(problem, origin, child.exitcode, limits.memory_cap))
        else:
            outcome = _alone(func, args, origin, limits, problem)
        yield start, outcome
        start += 1


def _alone(func, args, origin: str, limits: Limits, problem) -> tuple:
    try:
        return ("ok", run_capped(func, args, origin, limits, problem))
    except ParseError as exc:
        return ("raise", exc)


@functools.cache
def _preload_once() -> None:
    """Have the forkserver load the parsers and the hub modules this process has loaded.

    A child started from a script re-runs the script's module (multiprocessing does that to
    rebuild __main__); with what it imports already loaded in the server, that costs nothing,
    where importing the command line afresh would cost more than reading most files.
    """
    ours = sorted(name for name in sys.modules if name == "hub" or name.startswith("hub."))
    # hub.indexing.warm fills the parsers' lazy caches in the server before any child forks.
    _CONTEXT.set_forkserver_preload(["pypdf", "hub.indexing.loader", *ours,
                                     "hub.indexing.warm"])


def _receive(receiver, time_limit: float):
    """The child's message; None when it ran out of time, "died" when it ended without one."""
    if not receiver.poll(time_limit):
        return None
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return "died"


def _timeout(problem, origin: str, limits: Limits) -> CappedProblem:
    return problem(origin, "timeout", f"reading took longer than {limits.time_limit:g} s "
                                      "(stopped)")


def _death(problem, origin: str, exitcode: int | None, memory_cap: int) -> CappedProblem:
    if exitcode == -signal.SIGKILL:  # the kernel's answer to a process out of memory
        return problem(origin, "memory", f"the parser exceeded the {memory_cap >> 20} MiB "
                                         "memory cap and was stopped")
    return problem(origin, "crashed", f"the parser crashed (exit code {exitcode})")


def _die_with_parent(keep: int) -> None:
    """Let go of every inherited handle but `keep`, and ask the kernel to kill this process
    when its parent (the forkserver) ends.

    multiprocessing hands each child the forkserver's "alive" pipe so that the server outlives
    its children; with it closed here, the server sees that pipe end when the hub process
    dies, exits, and takes this child with it.
    """
    try:
        inherited = [int(name) for name in os.listdir("/proc/self/fd")]
    except FileNotFoundError:  # not Linux: the CPU limit still ends an orphan
        inherited = []
    for fd in inherited:
        if fd > 2 and fd != keep:
            with contextlib.suppress(OSError):  # the listing's own handle is gone already
                os.close(fd)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the CPU limit still ends an orphan
        pass


def _child(func, args, sender, limits: Limits, problem, origin: str) -> None:
    """Runs in the child: cap memory and CPU, run func, send back its result or its error."""
    _enter_child(sender, limits, 1)
    message = _outcome(func, args, limits, problem, origin)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    sender.send((*message, peak))
    sender.close()


def _batch_child(func, calls: list[tuple[tuple, str]], sender, limits: Limits, problem) -> None:
    """Runs in a batch's child: func for each call in turn, each outcome sent as it is known."""
    _enter_child(sender, limits, len(calls))
    for args, origin in calls:
        sender.send(_outcome(func, args, limits, problem, origin))
        gc.collect()  # what one file built is not the next one's to carry
    sender.close()


def _enter_child(sender, limits: Limits, calls: int) -> None:
    global _inside_child
    _inside_child = True
    # What the child inherited stays put: a collection that scanned it would copy every
    # inherited page (copy-on-write) and cost more than reading a small file.
    gc.freeze()
    _die_with_parent(keep=sender.fileno())
    if os.getppid() == 1:  # the parent went before the request above took effect
        signal.raise_signal(signal.SIGKILL)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_cap, limits.memory_cap))
    cpu = (int(limits.time_limit) + 5) * calls  # a backstop for a child nobody waits for
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _outcome(func, args, limits: Limits, problem, origin: str) -> tuple:
    """("ok", what func returned) or ("raise", the ParseError for what went wrong)."""
    try:
        return ("ok", func(*args))
    except (ParseError, NothingToStore) as exc:
        return ("raise", exc)
    except MemoryError:
        return ("raise", problem(origin, "memory", f"reading needed more than the "
                                                   f"{limits.memory_cap >> 20} MiB memory cap"))
    except RecursionError:
        return ("raise", problem(origin, "crashed", "its structure nests too deeply to read"))
    except Exception as exc:  # noqa: BLE001 - a parser's bug is this file's failure, not ours
        return ("raise", problem(origin, "crashed", f"the parser failed: {describe(exc)}"))


def too_much_text(characters: int, allowed: int, where: str = "it") -> str:
    """The one message for a file over the text cap."""
    return (f"{where} hold{'s' * (where == 'it')} {characters:,} characters of text, more than "
            f"the {allowed:,} a file may have (HUB_MAX_TEXT_CHARS)")


def describe(exc: BaseException) -> str:
    """An exception as one short line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
