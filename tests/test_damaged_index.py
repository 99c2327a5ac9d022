"""A damaged or missing search index takes down search only: the site starts, search answers
503 with Retry-After, the writer rebuilds it by itself, `hub index check` compares it with the
store, and the command line says what is wrong in one line."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.corpus import Corpus
from hub.web import create_app
from tests.support.rows import add_item, populate
from tests.support.served_hub import run_hub, serve_hub

pytestmark = pytest.mark.reliability


def _generation(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text().strip()


def _largest(folder: Path, suffix: str) -> Path:
    return max(folder.glob(f"*{suffix}"), key=lambda p: p.stat().st_size)


def truncated_toc(index_dir: Path) -> None:
    toc = _largest(_generation(index_dir), ".toc")
    toc.write_bytes(toc.read_bytes()[:20])


def random_toc(index_dir: Path) -> None:
    toc = _largest(_generation(index_dir), ".toc")
    toc.write_bytes(os.urandom(toc.stat().st_size))


def random_segment(index_dir: Path) -> None:
    for segment in _generation(index_dir).glob("*.seg"):
        segment.write_bytes(os.urandom(segment.stat().st_size))


def deleted_segment(index_dir: Path) -> None:
    for segment in _generation(index_dir).glob("*.seg"):
        segment.unlink()


def empty_generation(index_dir: Path) -> None:
    for part in _generation(index_dir).iterdir():
        part.unlink()


def current_points_nowhere(index_dir: Path) -> None:
    (index_dir / "CURRENT").write_text("gen-999999\n")


DAMAGE = [truncated_toc, random_toc, random_segment, deleted_segment, empty_generation,
          current_points_nowhere]


def _stored(settings, count: int = 12) -> list[int]:
    corpus = Corpus(settings)
    ids = populate(corpus, lambda session: [
        add_item(session, f"Council pooled budgets {n}", themes=["worklessness"]).id
        for n in range(count)])
    corpus.search.rebuild()
    corpus.close()
    return ids


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_the_site_stays_up_and_the_writer_rebuilds(damage, settings):
    ids = _stored(settings)
    damage(settings.index_dir)
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings})  # starts, whatever the index
    client = app.test_client()
    assert client.get(f"/items/{ids[0]}").status_code == 200
    assert client.get("/").status_code == 200
    down = client.get("/search?q=council")
    if down.status_code == 503:  # damage a reader may not meet until it reads the segment
        assert down.headers["Retry-After"] and "being rebuilt" in down.text
        api = client.get("/api/search?q=council")
        assert api.status_code == 503 and api.headers["Retry-After"]
        assert "unavailable" in api.get_json()["error"]
    corpus = app.extensions["hub.corpus"]
    corpus.refresh_caches()  # what `hub serve`'s worker does every 2 s
    up = client.get("/api/search?q=council&per_page=50")
    assert up.status_code == 200 and up.get_json()["total"] == len(ids)
    assert corpus.search.check().ok


@pytest.mark.parametrize("damage", [truncated_toc, current_points_nowhere],
                         ids=lambda f: f.__name__)
def test_the_command_line_says_one_line(damage, settings):
    _stored(settings)
    damage(settings.index_dir)
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(settings.home), "search", "council"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: the search index") and "hub index rebuild" in line
    status = runner.invoke(main, ["--home", str(settings.home), "index", "status"])
    assert status.exit_code == 1 and len(status.output.strip().splitlines()) == 1


def test_index_check_names_what_differs(settings):
    ids = _stored(settings)
    corpus = Corpus(settings)
    corpus.search.backend.delete([str(ids[0])])
    with corpus.session() as session:
        from hub.store.models import Item

        session.get(Item, ids[1]).content_hash = "changed"
        session.commit()
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(settings.home), "index", "check"])
    assert result.exit_code == 1
    assert f"items missing from the index (1): {ids[0]}" in result.output
    assert f"indexed with other content than the store's (1): {ids[1]}" in result.output
    corpus.search.rebuild()
    corpus.close()
    result = runner.invoke(main, ["--home", str(settings.home), "index", "check"])
    assert result.exit_code == 0 and "the index matches the store" in result.output


def test_served_hub_rebuilds_a_damaged_index_without_a_restart(tmp_path, settings):
    home = settings.home
    ids = _stored(settings, count=200)
    truncated_toc(settings.index_dir)
    env = {**os.environ, "HUB_HOME": str(home), "HUB_CONTENT_DIR": str(settings.content_dir),
           "HUB_SECRET_KEY": "damaged-index-test-secret-0123456789"}
    live = serve_hub(home, env)  # it starts: the index is not needed for that
    try:
        with urllib.request.urlopen(f"{live.url}/items/{ids[0]}", timeout=10) as response:
            assert response.status == 200
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{live.url}/api/search?q=council",
                                            timeout=10) as response:
                    assert response.status == 200
                    break
            except urllib.error.HTTPError as exc:
                assert exc.code == 503 and exc.headers["Retry-After"]
                assert time.monotonic() < deadline, "the index was not rebuilt within 60 s"
                time.sleep(0.5)
        assert "the index matches the store" in run_hub(live.env, "index", "check").stdout
    finally:
        live.stop()
