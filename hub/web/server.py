"""Serve the app with waitress, and keep the derived caches current from the store's change log.

Web requests only read the search index and the related model. The one writer is a background
thread of the serving process: every few seconds it follows the store's change log (an editor's
publish is searchable within seconds) and refreshes the related model when the store changed.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)
REFRESH_SECONDS = 1.0  # an idle tick is two small queries and a file read


class CacheWorker(threading.Thread):
    """A daemon thread that brings the search index and related model up to date."""

    def __init__(self, app: Flask, interval: float = REFRESH_SECONDS):
        super().__init__(name="hub-cache-worker", daemon=True)
        self.corpus = app.extensions["hub.corpus"]
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        """Refresh until stopped; a failure is logged and retried on the next tick."""
        while not self.stopped.wait(self.interval):
            try:
                self.corpus.refresh_caches()
            except Exception:  # noqa: BLE001 - the change log keeps the work for the next tick
                log.exception("refreshing the search index and related model failed")

    def stop(self) -> None:
        """Ask the thread to finish after its current tick."""
        self.stopped.set()


def serve(app: Flask, host: str, port: int, threads: int = 8) -> None:
    """Serve the app on host:port with waitress until interrupted."""
    from waitress import serve as waitress_serve

    worker = CacheWorker(app)
    # Catch up before the first request: a new node builds its index from the store rather
    # than answering from an empty one, and a node back from a stop follows what it missed.
    try:
        worker.corpus.refresh_caches()
    except Exception:  # noqa: BLE001 - serve anyway; the worker retries within a second
        log.exception("catching up with the store before serving failed")
    worker.start()
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="hub")
    finally:
        worker.stop()
