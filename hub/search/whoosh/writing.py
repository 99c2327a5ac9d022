"""Writing a Whoosh index fast: a segment writer with a cheaper posting pool, and a parallel build.

Profiling a rebuild (2,000 documents of ~1,650 words) showed two costs in Whoosh's own writer
that have nothing to do with our analysis:

- its posting pool spills to disk one pickle call per posting and merges them back one load at
  a time (a third of the time once a segment outgrows the pool's memory limit);
- while writing postings it looks up the document's field length in the lengths column file
  once per posting (one seek and unpack per posting, 15 % of the time).

internals.ChunkedPostingPool spills sorted runs in pickled chunks of many postings, and
internals.IndexingCodec reads each field's lengths column once. Both are used only while
writing: the segments they produce name Whoosh's own codec, so readers never depend on these
classes. They, and the private SegmentWriter methods that commit the workers' segments (the
ones Whoosh's own MpWriter uses), live in hub.search.whoosh.internals;
tests/test_search_writing.py checks that the index built here is the one Whoosh's writer
builds.

build_index indexes a fresh index in several worker processes when there is enough to index,
each worker writing one segment, and commits the segments together.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from whoosh.filedb.filestore import FileStorage

from hub.search.base import SearchError
from hub.search.whoosh.internals import (
    HubSegmentWriter,
    commit_segments,
    finish_worker,
    worker_writer,
)

PARALLEL_FROM = 1_000  # fewer documents than this are indexed in this process
BATCH = 100  # documents handed to a worker at a time
WORKER_TIMEOUT = 600.0  # seconds to wait for a worker's segment once all its work is queued

_CONTEXT = multiprocessing.get_context("forkserver")  # never fork a threaded web server


def build_index(index, documents: Iterable[dict], procs: int = 1) -> int:
    """Index every document (writer keyword arguments) into a fresh index; returns the count.

    With procs > 1 and at least PARALLEL_FROM documents, `procs` worker processes each write
    a segment; below that, starting workers would cost more than it saves.
    """
    documents = iter(documents)
    first = list(islice(documents, PARALLEL_FROM))
    if procs < 2 or len(first) < PARALLEL_FROM or not isinstance(index.storage, FileStorage):
        return _write_here(index, chain(first, documents))
    return _ParallelBuild(index, procs).run(chain(first, documents))


def _write_here(index, documents: Iterator[dict]) -> int:
    writer = HubSegmentWriter(index)
    written = 0
    try:
        for fields in documents:
            writer.add_document(**fields)
            written += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return written


class _ParallelBuild:
    """Batches of documents on a queue, worker processes writing a segment each, one commit."""

    def __init__(self, index, procs: int):
        self.index = index
        self.procs = procs
        self.jobs = _CONTEXT.Queue(procs * 4)
        self.results = _CONTEXT.Queue()
        self.workers: list = []

    def run(self, documents: Iterator[dict]) -> int:
        writer = HubSegmentWriter(self.index)  # holds Whoosh's lock and commits the segments
        written = 0
        try:
            while batch := list(islice(documents, BATCH)):
                if len(self.workers) < self.procs:
                    self._start_worker()
                self._put(batch)
                written += len(batch)
            commit_segments(writer, self._finish_workers())
        except BaseException:
            self._stop_workers()
            writer.cancel()
            raise
        return written

    def _start_worker(self) -> None:
        worker = _CONTEXT.Process(
            target=_index_worker, daemon=True, name=f"hub-index-{len(self.workers) + 1}",
            args=(self.index.storage.folder, self.index.indexname, self.jobs, self.results))
        worker.start()
        self.workers.append(worker)

    def _put(self, item) -> None:
        while True:
            try:
                self.jobs.put(item, timeout=1.0)
                return
            except queue.Full:
                self._check_alive()

    def _check_alive(self) -> None:
        for worker in self.workers:
            if not worker.is_alive() and worker.exitcode:
                raise SearchError(f"index worker {worker.name} ended with exit code "
                                  f"{worker.exitcode} while building the index")

    def _finish_workers(self) -> list:
        for _ in self.workers:
            self._put(None)
        segments = []
        for _ in self.workers:
            try:
                outcome, value = self.results.get(timeout=WORKER_TIMEOUT)
            except queue.Empty:
                self._check_alive()
                raise SearchError("an index worker sent no segment within "
                                  f"{WORKER_TIMEOUT:.0f} s") from None
            if outcome == "error":
                raise SearchError(f"an index worker failed: {value}")
            if value is not None:
                segments.append(value)
        for worker in self.workers:
            worker.join()
        return segments

    def _stop_workers(self) -> None:
        # Batches still in the queue's pipe would keep this process from exiting.
        self.jobs.cancel_join_thread()
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()


def _index_worker(folder: str, indexname: str, jobs, results) -> None:
    """In a worker process: index batches until None, then send back the segment written."""
    writer = worker_writer(FileStorage(folder).open_index(indexname))
    try:
        while (batch := jobs.get()) is not None:
            for fields in batch:
                writer.add_document(**fields)
        results.put(("ok", finish_worker(writer)))  # None when the others took every batch
    except BaseException as error:  # reported to the parent, which cancels the whole build
        results.put(("error", f"{type(error).__name__}: {error}"))
        raise  # a non-zero exit code, so a parent waiting to queue work notices
    # Never writer.cancel() here: it would delete the temporary folder the workers share.
