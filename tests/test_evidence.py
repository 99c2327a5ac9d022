"""Suggested evidence levels (Maryland scale): the rules, an editor's level, the judged set."""

from __future__ import annotations

import importlib.util

import pytest

from hub.config import PROJECT_DIR
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.evidence import attach_levels, check_level, suggest_level


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, PROJECT_DIR / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("text, level", [
    ("Families were randomly allocated to the new service or to usual care.", 5),
    ("We ran a randomised controlled trial across twelve schools.", 5),
    ("Outcomes were compared with a matched comparison group of similar claimants.", 4),
    ("Re-offending fell faster than in a control group of areas without the scheme.", 3),
    ("Attendance was compared before and after the key worker started.", 2),
    ("A survey of staff found most thought the service better.", 1),
    ("The council estimated that the change would save £2m a year.", 1),
])
def test_each_level_is_found_from_its_method_words(text, level):
    found = suggest_level(text)
    assert found.level == level and found.sentence == text


def test_the_strongest_level_described_wins_and_negated_methods_do_not_count():
    text = ("Staff were interviewed. Costs were compared before and after the change. "
            "A randomised trial was not possible. There was no control group.")
    found = suggest_level(text)
    assert (found.level, found.sentence) == (2, "Costs were compared before and after the change.")


def test_the_method_line_is_read_before_the_body():
    body = "Programmes are rated effective with at least one comparison group study."
    assert suggest_level(body).level == 3
    assert suggest_level(body, method="A review of programmes and interviews.").level == 1


def test_text_describing_no_evaluation_has_no_level_unless_it_is_a_case_study():
    assert suggest_level("The council meets on Tuesdays.") is None
    report = ParsedDocument("Minutes", "report", "The council meets on Tuesdays.", "x.txt",
                            children=[ParsedDocument("Part", "section", "Nothing here.", "x.txt")])
    attach_levels(report)
    assert "evidence" not in report.extra
    story = ParsedDocument("Story", "case_study", "The council meets on Tuesdays.", "y.md")
    attach_levels(story)
    assert story.extra["evidence"] == {"suggested": 1, "sentence": "", "level": 1,
                                       "confirmed": False}


def test_a_report_takes_the_strongest_level_of_its_parts():
    section = ParsedDocument("Findings", "section", "A survey was run. Results were compared "
                             "with a comparison group of similar areas.", "r.txt")
    report = ParsedDocument("Report", "report", "Introduction.", "r.txt",
                            children=[ParsedDocument("Ch", "section", "", "r.txt",
                                                     children=[section])])
    attach_levels(report)
    assert report.extra["evidence"]["suggested"] == 3
    assert section.extra["evidence"]["suggested"] == 3


def test_an_editors_level_is_kept_beside_the_suggestion():
    doc = ParsedDocument("Story", "case_study", "Costs were compared before and after.", "s.md",
                         extra={"evidence_level": 4})
    attach_levels(doc)
    assert doc.extra == {"evidence": {"suggested": 2, "sentence": "Costs were compared before "
                                      "and after.", "level": 4, "confirmed": True}}
    assert check_level("3", "s.md") == 3
    with pytest.raises(ParseError, match="evidence_level"):
        check_level("6", "s.md")


def test_judged_set_accuracy(shared):
    """At least 30 items judged by hand: exact for 70 %, within one level for 90 %."""
    evaluation = load_script("eval_evidence")
    rows = evaluation.judged()
    assert len(rows) >= 30
    assert {row["source"] for row in rows} == {"content", "seeds", "real"}
    pairs = evaluation.suggestions(rows, shared)
    exact, near = evaluation.accuracy(pairs)
    assert exact >= 0.7 and near >= 0.9, evaluation.confusion(pairs)


def test_an_editor_confirms_or_changes_the_level_as_a_revision(editor_settings):
    from hub.corpus import Corpus
    from hub.editor import changes, revisions
    from hub.editor.case_study_form import CaseStudyFields
    from hub.search.base import SearchRequest
    from hub.store.models import Item

    editor = changes.Editor("editor@example.org", "127.0.0.1")
    corpus = Corpus(editor_settings)
    try:
        fields = CaseStudyFields(
            title="Key workers for families in Leeds", summary="Families had one worker.",
            places=["leeds"], method="School attendance compared before and after.",
            body="Attendance rose after a key worker started with each family.")
        item_id = changes.save_case_study(corpus, fields, editor).item_id
        changes.change_status(corpus, item_id, "published", editor)
        with corpus.session() as session:
            assert session.get(Item, item_id).extra["evidence"]["level"] == 2
        source, text = changes.editable(corpus, item_id)
        edited = CaseStudyFields.from_text(text, source.origin, corpus.taxonomy)
        edited.evidence_level = "3"
        saved = changes.save_case_study(corpus, edited, editor, item_id,
                                        changes.text_version(text))
        assert saved.changes == ["evidence_level"]
        assert "evidence_level: '3'" in changes.editable(corpus, item_id)[1]
        with corpus.session() as session:
            evidence = session.get(Item, item_id).extra["evidence"]
            assert (evidence["level"], evidence["suggested"], evidence["confirmed"]) == (3, 2, True)
            assert revisions.history(session, item_id)[0].action == "edit"
        hits = corpus.search.search(SearchRequest(filters={"evidence": ["3"]}))["results"]
        assert [h["id"] for h in hits] == [item_id] and hits[0]["evidence_level"] == 3
    finally:
        corpus.close()


def test_an_editor_confirms_an_uploads_level_in_its_sidecar(editor_settings):
    import io

    from hub.corpus import Corpus
    from hub.editor import changes, revisions, uploads
    from hub.store.models import Item

    editor = changes.Editor("editor@example.org", "127.0.0.1")
    corpus = Corpus(editor_settings)
    try:
        text = (b"Evaluation of the Leeds advice desks\n\nRepeat visits were compared with a "
                b"comparison group of similar areas without the joined-up desks.\n")
        saved = uploads.receive(corpus, io.BytesIO(text), "evaluation.txt", editor)
        uploads.correct(corpus, saved.item_id, {}, editor, evidence_level="4")
        sidecar = next(corpus.settings.upload_dir.glob("*.yml")).read_text()
        assert "evidence_level: 4" in sidecar
        with corpus.session() as session:
            evidence = session.get(Item, saved.item_id).extra["evidence"]
            assert (evidence["level"], evidence["confirmed"]) == (4, True)
            assert revisions.history(session, saved.item_id)[0].action == "correct"
        uploads.correct(corpus, saved.item_id, {}, editor, evidence_level="")
        with corpus.session() as session:
            assert not (session.get(Item, saved.item_id).extra.get("evidence") or {}).get("confirmed")
    finally:
        corpus.close()
