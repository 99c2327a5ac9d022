"""`make seeds`, the README's command that loads the real documents from ../shared/seeds into
a hub (run for real through make; the virtualenv is taken as installed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import func, select

from hub.config import Settings
from hub.corpus import Corpus
from hub.store.models import Item

ROOT = Path(__file__).resolve().parent.parent


def make_seeds(home: Path, seeds: Path) -> subprocess.CompletedProcess:
    # -o: the virtualenv counts as installed, so make does not reinstall it here.
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "seeds",
                           f"SEEDS={seeds}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "HUB_HOME": str(home)})


def test_make_seeds_loads_the_real_documents_and_again_changes_nothing(shared, tmp_path,
                                                                        store_url):
    home = tmp_path / "instance"
    done = make_seeds(home, shared / "seeds")
    assert done.returncode == 0, done.stderr
    corpus = Corpus(Settings(home=home, database_url=store_url))
    try:
        with corpus.session() as session:
            assert session.scalar(select(func.count(Item.id))) > len(
                list((shared / "seeds").glob("[0-9]*")))  # reports hold sections too
        assert corpus.search.backend.count() > 0  # searchable at once
    finally:
        corpus.close()
    again = make_seeds(home, shared / "seeds")
    assert again.returncode == 0 and " 0 new, 0 updated" in again.stdout


def test_make_seeds_without_the_documents_says_so_and_succeeds(tmp_path):
    done = make_seeds(tmp_path / "instance", tmp_path / "nowhere")
    assert done.returncode == 0
    assert f"no documents at {tmp_path / 'nowhere'}" in done.stdout
    assert not (tmp_path / "instance").exists()
