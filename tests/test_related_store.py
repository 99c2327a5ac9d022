"""The related-items model kept beside a real store: restarts, re-ingests, edits, retirements."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from sqlalchemy import select

from hub.config import PROJECT_DIR
from hub.corpus.related_sync import RelatedSync
from hub.indexing.document import ParsedDocument
from hub.indexing.loader import enrich
from hub.recommend import RefitPolicy, read_state
from hub.store import queries
from hub.store.database import transaction
from hub.store.models import Item
from hub.store.writing import save_document
from tests.support.own_data import DATA_DIR

# Long enough to be suggested (recommend.model.MIN_TEXT_CHARS) in every part of the report.
REFERRAL = ("Each family gives written consent once, and a named lead worker makes every "
            "referral under the information sharing protocol. The protocol names what may be "
            "shared, with whom and for how long, and families can see what was shared.")


def report_tree() -> ParsedDocument:
    """A report with two sections, one holding a case study; all about consent and referral."""
    def part(title, type_, text, anchor, children=()):
        return ParsedDocument(title=title, type=type_, text=text, origin="tests/report",
                              anchor=anchor, children=list(children))

    case = part("Case study: one referral route for families", "case_study",
                REFERRAL + " The pilot ran in two wards.", "cs-1")
    return ParsedDocument(
        title="Joining up family support", type="report", origin="tests/report",
        text="A review of family support. " + REFERRAL,
        children=[part("Consent and referral", "section", REFERRAL + " Consent lasts a year.",
                       "s-1", [case]),
                  part("Lead workers", "section", REFERRAL + " Lead workers hold the case.",
                       "s-2")])


def store_tree(corpus) -> dict[str, int]:
    doc = report_tree()
    for node in doc.walk():
        enrich(node, corpus.parse_context)
    with transaction(corpus.sessions) as session:
        save_document(session, doc)
    with corpus.session() as session:
        return {i.title: i.id for i in session.scalars(select(Item))}


@pytest.fixture
def stocked(corpus):
    corpus.ingest([DATA_DIR / "related", DATA_DIR / "case_studies"])
    ids = store_tree(corpus)
    return corpus, ids


def suggested(corpus, item_id, limit=10):
    with corpus.session() as session:
        return [r["id"] for r in corpus.related.for_item(session, item_id, limit)]


def test_never_its_report_or_sections_and_one_per_report_at_most(stocked):
    corpus, ids = stocked
    assert corpus.related.refresh() == "refitted"
    report, section = ids["Joining up family support"], ids["Consent and referral"]
    case = ids["Case study: one referral route for families"]
    assert not {report, section, case} & set(suggested(corpus, case))
    assert not {report, section, case, ids["Lead workers"]} & set(suggested(corpus, report))
    from_report = {report, section, ids["Lead workers"]}  # the case study is its own unit
    protocol = ids["An information sharing protocol for family support workers"]
    found = suggested(corpus, protocol)
    assert len(set(found) & from_report) == 1  # the report's best part stands for it
    assert found[0] in from_report | {case}  # the report's text is the closest there is


def test_suggestions_carry_reasons(stocked):
    corpus, ids = stocked
    with corpus.session() as session:
        found = corpus.related.for_item(session, ids["A shared benefits data hub for employment "
                                                     "advisers"], 5)
    first = found[0]
    assert set(first) == {"id", "title", "type", "url", "score", "reasons"}
    by_title = {r["title"]: r for r in found}
    protocol = by_title["An information sharing protocol for family support workers"]
    assert protocol["reasons"]["themes"] == ["Data sharing"]
    assert "consent" in protocol["reasons"]["terms"]


def test_offenders_find_the_spend_mapping_of_offenders(stocked):
    corpus, ids = stocked
    found = suggested(corpus, ids["Fewer repeat referrals for offenders on probation"], 3)
    assert ids["Mapping what is spent on offenders across agencies"] == found[0]


def test_a_retired_item_is_no_longer_suggested(stocked):
    corpus, ids = stocked
    protocol = ids["An information sharing protocol for family support workers"]
    hub_id = ids["A shared benefits data hub for employment advisers"]
    assert protocol in suggested(corpus, hub_id)
    with transaction(corpus.sessions) as session:
        session.get(Item, protocol).status = "retired"
    assert protocol not in suggested(corpus, hub_id)  # the store is checked at once
    assert corpus.related.refresh() in {"updated", "refitted"}
    assert protocol not in corpus.related.model().rows


def test_a_small_change_is_a_cheap_update(stocked, settings):
    corpus, ids = stocked
    corpus.related.refresh()
    related = RelatedSync(corpus.sessions, settings.model_dir, lambda: corpus.taxonomy,
                           RefitPolicy(changed_share=0.5, unknown_excess=0.5))
    before = read_state(settings.model_dir)
    with transaction(corpus.sessions) as session:
        item = session.get(Item, ids["Apprenticeship brokerage for school leavers"])
        item.body_text += " A mentor helped each apprentice with referral and consent forms."
        item.content_hash = "edited"
    assert related.refresh() == "updated"
    after = read_state(settings.model_dir)
    assert after["fits"] == before["fits"] and after["updates"] == before["updates"] + 1
    with corpus.session() as session:
        found = related.for_item(session, ids["Apprenticeship brokerage for school leavers"], 10)
    terms = {t for r in found for t in r["reasons"]["terms"]}
    assert {"consent", "referral"} & terms
    assert related.refresh() == "unchanged"


def test_a_lost_state_file_or_a_damaged_model_is_recovered(stocked, settings):
    corpus, _ = stocked
    corpus.related.refresh()
    model_file = settings.model_dir / "model.joblib"
    mtime = model_file.stat().st_mtime_ns
    (settings.model_dir / "state.json").unlink()
    assert corpus.related.refresh() == "unchanged"
    assert model_file.stat().st_mtime_ns == mtime
    model_file.write_bytes(b"damaged")
    fresh = RelatedSync(corpus.sessions, settings.model_dir, lambda: corpus.taxonomy)
    assert len(fresh.model()) == len(corpus.related.model()) > 0
    assert read_state(settings.model_dir)["fits"] == 1  # the count restarts with a new model


def test_a_model_fitted_with_other_settings_is_refitted(stocked, settings):
    from hub import recommend

    corpus, _ = stocked
    corpus.related.refresh()
    old = recommend.load(settings.model_dir)
    old.settings = "other stop words"
    old.signature = "stale"
    recommend.save(old, settings.model_dir)
    assert corpus.related.refresh() == "refitted"
    assert recommend.load(settings.model_dir).settings == recommend.model.settings_key()


def run_hub(home, *args, seed="0"):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "hub", "--home", str(home), *args], env=env,
                          capture_output=True, text=True, timeout=120, check=True)


def test_restart_and_reingest_do_not_refit(tmp_path, seeds, store_url):
    home = tmp_path / "instance"
    sources = [str(seeds[n]) for n in ("000", "001", "002")] + [str(DATA_DIR / "related")]
    assert "related model: refitted" in run_hub(home, "ingest", *sources, seed="1").stdout
    model_file = home / "related" / "model.joblib"
    mtime, state = model_file.stat().st_mtime_ns, read_state(home / "related")
    # A new process with another hash seed: nothing changed, so nothing is refitted or written.
    assert "related model: unchanged" in run_hub(home, "ingest", *sources, seed="2").stdout
    run_hub(home, "related", "1", "--json", seed="3")
    assert model_file.stat().st_mtime_ns == mtime
    assert read_state(home / "related") == state and state["fits"] == 1


def test_an_edited_file_brings_the_model_up_to_date(tmp_path, store_url):
    folder = tmp_path / "content"
    shutil.copytree(DATA_DIR / "related", folder)
    home = tmp_path / "instance"
    run_hub(home, "ingest", str(folder))
    page = folder / "allotment-waiting-lists.md"
    page.write_text(page.read_text() + "\nTenants also share surplus vegetables at apprentice "
                    "cookery classes run with local employers.\n")
    out = run_hub(home, "ingest", str(folder)).stdout
    assert "1 updated" in out and "related model: refitted" in out
    listed = json.loads(run_hub(home, "list", "--json").stdout)
    allotments = next(i["id"] for i in listed if i["title"].startswith("Halving allotment"))
    found = json.loads(run_hub(home, "related", str(allotments), "--json").stdout)
    assert "employers" in {t for r in found for t in r["reasons"]["terms"]}


def test_related_to_free_text_and_to_a_theme(stocked):
    corpus, ids = stocked
    with corpus.session() as session:
        seen = corpus.related.for_text(session, "apprenticeships for school leavers", 2)
        assert seen[0]["title"] == "Apprenticeship brokerage for school leavers"
        themed = corpus.related.for_theme(session, "data-sharing", 3)
        tagged = {i.id for i in queries.all_items(session) if "data-sharing" in i.tag_values("theme")}
    assert themed[0]["id"] in tagged  # close items without the tag may follow ("see also")
    for entry in themed:
        assert entry["reasons"]["themes"] == (["Data sharing"] if entry["id"] in tagged else [])
