"""PDF reports end to end: a PDF we built is stored as a report with sections, pages and a case
study; hostile and broken PDFs each get a clear error and the run goes on."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from sqlalchemy import select

from hub.config import PROJECT_DIR
from hub.indexing.pdf import PdfProblem, read_pdf
from hub.store.models import Item
from hub.store.writing import Result
from tests.support.built_pdfs import (
    CASE_PAGE,
    CASE_PLACE,
    CASE_TITLE,
    CHAPTERS,
    FOOTNOTE,
    RUNNING_HEADER,
    SECTION_AFTER_CASE,
    TITLE,
    build_bomb_pdf,
    build_encrypted_pdf,
    build_image_only_pdf,
    build_report_pdf,
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """The report, and copies of it made hostile, built once for the module."""
    folder = tmp_path_factory.mktemp("pdfs")
    report = build_report_pdf(folder / "front-doors.pdf")
    return {
        "report": report,
        "image": build_image_only_pdf(folder / "scan.pdf"),
        "encrypted": build_encrypted_pdf(folder / "locked.pdf", report),
        "bomb": build_bomb_pdf(folder / "bomb.pdf"),
    }


def stored(corpus):
    with corpus.session() as session:
        items = list(session.scalars(select(Item).order_by(Item.id)))
        for item in items:
            _ = item.tags, item.outcomes, item.children  # load before the session closes
        return items


def test_a_built_report_becomes_a_report_with_sections_pages_and_a_case_study(corpus, pdfs):
    summary = corpus.ingest([pdfs["report"]])
    assert summary.errors == []
    items = stored(corpus)
    report = next(i for i in items if i.type == "report")
    assert report.title == TITLE  # from the document information
    assert report.extra["author"] == "Hub Test Team"
    assert (report.page_start, report.page_end) == (1, 5)
    sections = {i.number: i for i in items if i.type == "section"}
    for page, number, title, subsections in CHAPTERS:
        chapter = sections[number]
        assert (chapter.title, chapter.parent_id, chapter.page_start) == (title, report.id, page)
        assert chapter.anchor == f"ch-{number}"
        for s_number, s_title, paragraphs in subsections:
            section = sections[s_number]
            assert (section.title, section.parent_id) == (s_title, chapter.id)
            assert section.page_start == section.page_end == page
            assert section.anchor == "s-" + s_number.replace(".", "-")
            assert section.body_text.startswith(paragraphs[0][:40])
    assert sections["2"].page_end == SECTION_AFTER_CASE[2]  # its last subsection's page
    assert [c.number for c in report.children if c.type == "section"] == ["1", "2", "3"]


def test_the_case_study_box_is_its_own_item_under_the_report(corpus, pdfs):
    corpus.ingest([pdfs["report"]])
    items = stored(corpus)
    report = next(i for i in items if i.type == "report")
    [case] = [i for i in items if i.type == "case_study"]
    assert case.parent_id == report.id
    # As the box prints it, place included, though it wraps over two lines.
    assert case.title == f"Case Study: {CASE_PLACE} \u2013 {CASE_TITLE}"
    assert "coventry" in case.tag_values("place")
    assert case.page_start == CASE_PAGE
    assert case.body_text.startswith("Coventry joined its benefits")
    assert case.summary and case.summary.startswith("Coventry joined its benefits")
    assert report.published is not None and case.published == report.published
    assert case.date_precision == report.date_precision
    assert [(o.amount_gbp, o.period) for o in case.outcomes] == [(85000, "per year")]
    section = next(i for i in items if i.number == "2.1")
    assert "Coventry joined" not in section.body_text  # lifted out, not repeated


def test_furniture_and_footnotes_stay_out_of_the_text(corpus, pdfs):
    corpus.ingest([pdfs["report"]])
    items = stored(corpus)
    for item in items:
        assert RUNNING_HEADER not in item.body_text
        assert "survey of callers" not in item.body_text
        assert not any(line.strip().isdigit() for line in item.body_text.splitlines())
    notes = [i.footnotes for i in items if i.footnotes]
    assert notes == [FOOTNOTE]


def test_reingesting_the_pdf_changes_nothing(corpus, pdfs):
    first = corpus.ingest([pdfs["report"]])
    again = corpus.ingest([pdfs["report"]])
    assert again.errors == []
    assert set(again.counts) == {Result.UNCHANGED}
    assert again.counts[Result.UNCHANGED] == first.counts[Result.NEW]


def test_a_sidecar_gives_title_publisher_date_and_url(corpus, pdfs, tmp_path):
    path = tmp_path / "report.pdf"
    shutil.copy(pdfs["report"], path)
    path.with_name("report.pdf.yml").write_text(
        "title: Front Doors Review\npublisher: Example Improvement Partnership\n"
        "date: 2011-03\nurl: https://example.org/front-doors.pdf\n")
    assert corpus.ingest([path]).errors == []
    report = next(i for i in stored(corpus) if i.type == "report")
    assert report.title == "Front Doors Review"
    assert report.extra["publisher"] == "Example Improvement Partnership"
    assert report.published.isoformat() == "2011-03-01"
    assert report.url == "https://example.org/front-doors.pdf"


@pytest.mark.parametrize("name, kind, words", [
    ("image", "no-text", "no text layer"),
    ("encrypted", "encrypted", "password"),
    ("bomb", "bomb", "decompression bomb"),
])
def test_hostile_pdfs_get_a_specific_error(pdfs, name, kind, words):
    with pytest.raises(PdfProblem) as error:
        read_pdf(pdfs[name], f"in/{name}.pdf")
    assert error.value.kind == kind
    assert words in str(error.value) and f"in/{name}.pdf" in str(error.value)


def test_broken_and_fake_pdfs_get_a_specific_error(pdfs, tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("This is a letter, saved with the wrong name.\n")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdfs["image"].read_bytes()[:300])
    with pytest.raises(PdfProblem) as error:
        read_pdf(fake, "fake.pdf")
    assert error.value.kind == "not-pdf"
    with pytest.raises(PdfProblem) as error:
        read_pdf(cut, "cut.pdf")
    assert error.value.kind == "damaged" and "damaged beyond repair" in str(error.value)


def test_an_owner_password_alone_does_not_stop_reading(pdfs, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdfs["report"]))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-128")
    path = tmp_path / "owner.pdf"
    writer.write(path)
    assert "Purpose of this Review" in "".join(read_pdf(path, "owner.pdf").pages)


def test_the_memory_cap_and_the_time_limit_stop_the_child(pdfs, tmp_path):
    big = build_bomb_pdf(tmp_path / "big.pdf", inflated_mib=70)  # under pypdf's limit
    # A text cap this high lets the page through to the memory cap under test.
    assert "Boom" in read_pdf(big, "big.pdf", max_text_chars=50_000_000).pages[0]
    with pytest.raises(PdfProblem) as error:
        read_pdf(big, "big.pdf", memory_cap=150 << 20, max_text_chars=50_000_000)
    assert error.value.kind == "memory" and "150 MiB" in str(error.value)
    with pytest.raises(PdfProblem) as error:
        read_pdf(pdfs["report"], "slow.pdf", time_limit=0.0001)
    assert error.value.kind == "timeout"


def test_hub_ingest_keeps_going_after_bad_pdfs(pdfs, tmp_path, default_content_dir, store_url):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("report", "image", "encrypted", "bomb"):
        shutil.copy(pdfs[name], folder / pdfs[name].name)
    run = subprocess.run(
        [sys.executable, "-m", "hub", "--home", str(tmp_path / "home"), "ingest", "-q", str(folder)],
        capture_output=True, text=True, cwd=PROJECT_DIR, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_DIR),
             "HUB_CONTENT_DIR": str(default_content_dir), "HUB_DATABASE_URL": store_url},
    )
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    for name, words in (("scan.pdf", "no text layer"), ("locked.pdf", "password"),
                        ("bomb.pdf", "decompression bomb")):
        assert any(name in line and words in line for line in errors), run.stderr
    assert "4 files read" in run.stdout and "3 errors" in run.stdout
