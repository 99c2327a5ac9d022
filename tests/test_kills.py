"""kill -9 during an ingest and during `hub serve`'s index update: after a restart, the store
holds every file and `hub index check` finds the index equal to it (bounded: a few kills)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from hub.config import Settings
from hub.corpus import Corpus
from tests.support.served_hub import hub_env, run_hub, serve_hub

pytestmark = pytest.mark.reliability
FILES = 60
KILL_AFTER = (1.5, 4.0)  # seconds into a run: while parsing and storing, then later


def _write_pages(folder, count: int = FILES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"page-{n:03d}.html").write_text(
            f"<html><head><title>Pooled budgets {n}</title></head><body><article>"
            f"<h1>Pooled budgets {n}</h1><p>The council and its partners pooled budgets for "
            f"families in area {n}, saving £{n + 10},000 a year.</p></article></body></html>")


def _check(env) -> subprocess.CompletedProcess:
    return run_hub(env, "index", "check", check=False)


def test_killed_ingests_leave_store_and_index_equal_after_a_rerun(tmp_path, store_url):
    pages = tmp_path / "pages"
    _write_pages(pages)
    env = hub_env(tmp_path / "home")
    for delay in KILL_AFTER:
        ingest = subprocess.Popen([sys.executable, "-m", "hub", "ingest", "-q", str(pages)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if ingest.poll() is None:
            os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait()
    rerun = run_hub(env, "ingest", "-q", str(pages))
    assert "0 errors" in rerun.stdout
    checked = _check(env)
    assert checked.returncode == 0 and f"{FILES:,} documents" in checked.stdout, checked.stdout


def test_a_killed_server_catches_up_after_a_restart(tmp_path, store_url):
    pages = tmp_path / "pages"
    _write_pages(pages)
    home = tmp_path / "home"
    env = hub_env(home)
    settings = Settings(home=home, database_url=store_url)
    corpus = Corpus(settings)
    corpus.ingest([pages], index=False)  # stored and queued: the server's worker indexes it
    corpus.close()
    live = serve_hub(home, env)
    time.sleep(1.0)  # its cache worker is following the change log
    live.process.send_signal(signal.SIGKILL)
    live.process.wait()
    live = serve_hub(home, env)
    try:
        deadline = time.monotonic() + 60
        while (checked := _check(env)).returncode != 0:
            assert time.monotonic() < deadline, checked.stdout + checked.stderr
            time.sleep(1.0)
        assert f"{FILES:,} documents" in checked.stdout
    finally:
        live.stop()
