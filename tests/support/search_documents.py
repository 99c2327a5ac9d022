"""Small documents we wrote for the search tests (built in code, no files needed)."""

from __future__ import annotations

from hub.search.base import IndexDocument

SYNONYMS = [("NEET", "NEETs", "not in employment education or training"),
            ("worklessness", "unemployment", "joblessness"),
            ("VfM", "value for money")]


def doc(id_, title, body="", **fields) -> IndexDocument:
    """A document with sensible defaults for the fields a test does not care about."""
    fields.setdefault("type", "article")
    return IndexDocument(id=str(id_), title=title, body=body, **fields)


DOCS = [
    doc(1, "Probation caseloads in a London borough",
        "A review of offenders on probation found that enforcement costs fell when probation "
        "officers shared data with housing teams.", type="case_study",
        themes=("community-safety",), places=("lewisham", "london"), date="2009-05-01",
        parent_id="9", breadcrumb=("Counting the cost", "Case studies"), page=42),
    doc(2, "Customer insight in the East Midlands",
        "Research with young people who are not in employment, education or training, "
        "and customer insight methods for councils.", themes=("customer-insight",),
        places=("east-midlands",), date="2010-03-02", organisations=("emiep",)),
    doc(3, "Good practice in data sharing",
        "Data sharing protocols between councils and the benefits agency helped tackle "
        "worklessness.", themes=("data-sharing", "worklessness"), date="2011-01-01"),
    doc(4, "Coventry employment advisers",
        "Employment advisers in Coventry helped jobless residents; unemployment fell.",
        themes=("worklessness",), places=("coventry", "west-midlands"), date="2008-07-07",
        type="case_study"),
    doc(5, "Birmingham housing and jobs",
        "Birmingham linked housing and employment support. Customers insist on one door.",
        themes=("worklessness", "housing"), places=("birmingham", "west-midlands"),
        date="2012-02-02"),
    doc(6, "Value for money in shared back offices",
        "Shared services delivered value for money; VfM reviews followed. "
        "<script>alert(1)</script> was in the source.",
        themes=("shared-services",), date="2008-01-01", type="report",
        headings=("Savings", "Lessons")),
    doc(7, "Probation probation probation newsletter",
        "probation " * 40, date="2007-01-01"),
    doc(8, "Neighbourhood management pilots",
        "Young NEET people in neighbourhood pilots; customer insight was weak.",
        places=("coventry", "west-midlands"), date="2013-06-06"),
]
