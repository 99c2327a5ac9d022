"""Writing a Whoosh index fast: a segment writer with a cheaper posting pool, and a parallel build.

Profiling a rebuild (2,000 documents of ~1,650 words) showed two costs in Whoosh's own writer
that have nothing to do with our analysis:

- its posting pool spills to disk one pickle call per posting and merges them back one load at
  a time (a third of the time once a segment outgrows the pool's memory limit);
- while writing postings it looks up the document's field length in the lengths column file
  once per posting (one seek and unpack per posting, 15 % of the time).

ChunkedPostingPool spills sorted runs in pickled chunks of many postings, and IndexingCodec
reads each field's lengths column once. Both are used only while writing: the segments they
produce name Whoosh's own codec, so readers never depend on these classes. The private
SegmentWriter methods used here (_finalize_segment, _commit_toc, ...) are the ones Whoosh's
own MpWriter uses; whoosh-reloaded is pinned, and tests/test_search_writing.py checks that the
index built here is the one Whoosh's writer builds.

build_index indexes a fresh index in several worker processes when there is enough to index,
each worker writing one segment, and commits the segments together.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3Segment, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from hub.search.base import SearchError

POSTINGS_PER_CHUNK = 20_000
BYTES_PER_POSTING = 200  # a posting tuple in memory, measured roughly with tracemalloc
POOL_MB = 128
PARALLEL_FROM = 1_000  # fewer documents than this are indexed in this process
BATCH = 100  # documents handed to a worker at a time
WORKER_TIMEOUT = 600.0  # seconds to wait for a worker's segment once all its work is queued

_CONTEXT = multiprocessing.get_context("forkserver")  # never fork a threaded web server


class LengthsReader(W3PerDocReader):
    """W3PerDocReader whose field lengths come from memory (each column read once)."""

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._lengths: dict[str, list] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        """The length Whoosh stored for a document's field (None for an empty one, as Whoosh)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = self._load_lengths(fieldname, default)
        return lengths[docnum]

    def _load_lengths(self, fieldname: str, default) -> list:
        column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return [default] * self._doccount
        return [byte_to_length(b) if b else None for b in column.load()]


class IndexingCodec(W3Codec):
    """Whoosh's W3 codec, reading field lengths from memory while a segment is written."""

    def per_document_reader(self, storage, segment):
        """Per-document values of a segment, with its field lengths cached."""
        return LengthsReader(storage, segment)

    def new_segment(self, storage, indexname):
        """A new segment that names the plain W3 codec, so readers never need this class."""
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


class ChunkedPostingPool(PostingPool):
    """Whoosh's posting pool, counting postings and spilling runs as chunks of many postings."""

    def __init__(self, tempstore, segment, limitmb=POOL_MB, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.max_postings = max(POSTINGS_PER_CHUNK, self.limit // BYTES_PER_POSTING)

    def add(self, item):
        """Add a (field, term bytes, docnum, weight, value bytes) posting."""
        self.fieldnames.add(item[0])
        self.current.append(item)
        if len(self.current) >= self.max_postings:
            self.save()

    def _write_run(self, f, items):
        items = iter(items)
        while chunk := list(islice(items, POSTINGS_PER_CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class HubSegmentWriter(SegmentWriter):
    """A SegmentWriter with the chunked posting pool and the indexing codec."""

    def __init__(self, index, limitmb: int = POOL_MB, **kwargs):
        kwargs.setdefault("codec", IndexingCodec())
        super().__init__(index, limitmb=limitmb, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)


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
            segments = self._finish_workers()
            writer._close_segment()  # its own segment is empty
            writer._commit_toc(list(writer.segments) + segments)
            writer._finish()
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
    writer = HubSegmentWriter(FileStorage(folder).open_index(indexname), _lk=False)
    try:
        while (batch := jobs.get()) is not None:
            for fields in batch:
                writer.add_document(**fields)
        if writer.docnum == writer.docbase:  # the others took every batch
            writer._close_segment()
            results.put(("ok", None))
        else:
            results.put(("ok", writer._finalize_segment()))
    except BaseException as error:  # reported to the parent, which cancels the whole build
        results.put(("error", f"{type(error).__name__}: {error}"))
        raise  # a non-zero exit code, so a parent waiting to queue work notices
    # Never writer.cancel() here: it would delete the temporary folder the workers share.
