"""What goes into a digest: the related-older seam, the subject, and refused header values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest
import yaml

from hub.corpus import Corpus
from hub.digest import ledger
from hub.digest.build import (
    Digest,
    Section,
    recommended_older,
    sentence_case,
    shared_themes_related,
)
from hub.digest.mail import MailConfigError, Mailer, load_mail_settings
from hub.digest.run import DigestRun
from hub.store.models import Item
from tests.support.mail import TEST_SECRET
from tests.support.rows import add_item, add_subscriber, populate


def related_world(session) -> dict:
    """A new case study and older items sharing one, two or no themes with it."""
    return {
        "case": add_item(session, "New case", ["data-sharing", "worklessness", "performance"],
                         type_="case_study", published=dt.date(2011, 1, 1)),
        "one": add_item(session, "Shares one", ["data-sharing"], published=dt.date(2010, 12, 1)),
        "two_old": add_item(session, "Shares two, older", ["data-sharing", "worklessness"],
                            published=dt.date(2005, 1, 1)),
        "two_new": add_item(session, "Shares two, newer", ["worklessness", "performance"],
                            published=dt.date(2009, 1, 1)),
        "later": add_item(session, "Shares three, but later",
                          ["data-sharing", "worklessness", "performance"],
                          published=dt.date(2012, 1, 1)),
        "draft": add_item(session, "Draft sharing three",
                          ["data-sharing", "worklessness", "performance"],
                          published=dt.date(2001, 1, 1), status="draft"),
    }


def test_default_related_older_picks_most_shared_themes_then_newest(corpus):
    world = populate(corpus, related_world)
    with corpus.session() as session:
        related = shared_themes_related(session)
        case = session.get(Item, world["case"].id)
        assert related(case).title == "Shares two, newer"
        assert related(session.get(Item, world["two_old"].id)) is None  # nothing older


def test_digest_run_uses_the_related_older_seam(corpus, settings, mail_env, smtp):
    world = populate(corpus, lambda s: {
        **related_world(s), "reader": add_subscriber(s, "r@example.org", ["data-sharing"])})
    chosen = []

    def pick(item):
        chosen.append(item.id)
        return corpus_item(world["one"].id)

    def corpus_item(item_id):
        with corpus.session() as session:
            return session.get(Item, item_id)

    mail = load_mail_settings(mail_env)
    run = DigestRun(corpus, mail, TEST_SECRET, related_older=pick)
    with Mailer(mail) as mailer:
        summary = run.send(mailer)
    assert summary.sent == ["r@example.org"]
    assert chosen == [world["case"].id]  # asked once, for the one case study
    text = smtp.received()[0].get_body(("plain",)).get_content()
    assert "Related, from earlier: Shares one" in text


def test_subject_names_what_is_inside():
    def digest(*names):
        return Digest([Section(n.lower(), n, [object()] * 2) for n in names], [], None)

    assert digest("Data sharing").subject == "Knowledge hub: 2 new items on data sharing"
    assert digest("Total Place and spend analysis", "Data sharing", "Customer insight",
                  "Shared services").subject == (
        "Knowledge hub: 8 new items on Total Place and spend analysis, data sharing, "
        "customer insight and 1 more")
    assert sentence_case("KPI reporting") == "KPI reporting"


def test_theme_name_with_a_line_break_is_refused_in_the_subject(tmp_path, settings, mail_env,
                                                                 smtp):
    content = tmp_path / "content"
    shutil.copytree(settings.content_dir / "taxonomy", content / "taxonomy")
    themes_file = content / "taxonomy" / "themes.yml"
    themes = yaml.safe_load(themes_file.read_text())
    themes[0]["name"] = "Data sharing\r\nBcc: victim@example.org"
    themes_file.write_text(yaml.safe_dump(themes))
    corpus = Corpus(dataclasses.replace(settings, content_dir=content))
    try:
        populate(corpus, lambda s: (add_item(s, "Data note", [themes[0]["slug"]], days_ago=1),
                                    add_subscriber(s, "r@example.org", [themes[0]["slug"]])))
        mail = load_mail_settings(mail_env)
        with Mailer(mail) as mailer:
            summary = DigestRun(corpus, mail, TEST_SECRET).send(mailer)
    finally:
        corpus.close()
    assert summary.failed == ["r@example.org: Subject: line breaks and control characters "
                              "are not allowed"]
    assert smtp.messages == []


@pytest.mark.parametrize("env, expected", [
    ({}, ("localhost", 587, "starttls")),
    ({"HUB_SMTP_SECURITY": "ssl"}, ("localhost", 465, "ssl")),
    ({"HUB_SMTP_SECURITY": "none", "HUB_SMTP_HOST": "mail.example.org",
      "HUB_SMTP_PORT": "2525"}, ("mail.example.org", 2525, "none")),
])
def test_mail_settings_defaults(env, expected):
    base = {"HUB_MAIL_FROM": "hub@example.org", "HUB_BASE_URL": "https://hub.example.org/"}
    settings = load_mail_settings({**base, **env})
    assert (settings.host, settings.port, settings.security) == expected
    assert settings.base_url == "https://hub.example.org"


@pytest.mark.parametrize("env, problem", [
    ({"HUB_SMTP_PORT": "smtp"}, "HUB_SMTP_PORT: expected a port number"),
    ({"HUB_SMTP_USER": "hub", "HUB_SMTP_SECURITY": "none", "HUB_SMTP_HOST": "mail.example.org"},
     "HUB_SMTP_USER: logging in needs HUB_SMTP_SECURITY starttls or ssl"),
    ({"HUB_MAIL_FROM": "nobody"}, "HUB_MAIL_FROM: no email address"),
    ({"HUB_BASE_URL": ""}, "HUB_BASE_URL is not set"),
])
def test_mail_settings_errors_name_the_variable(env, problem):
    base = {"HUB_MAIL_FROM": "hub@example.org", "HUB_BASE_URL": "https://hub.example.org"}
    with pytest.raises(MailConfigError, match=problem):
        load_mail_settings({**base, **env})


def test_only_one_run_can_claim_a_row(corpus):
    sub = populate(corpus, lambda s: add_subscriber(s, "r@example.org", ["performance"]))
    with corpus.session() as one, corpus.session() as two:
        row_one = ledger.open_row(one, sub.id, "2026-W01")
        row_two = ledger.open_row(two, sub.id, "2026-W01")
        assert row_one.id == row_two.id
        assert ledger.claim(one, row_one, "<m@x>", 1) is True
        assert ledger.claim(two, row_two, "<m@x>", 1) is False
        assert row_two.status == "sending" and row_two.attempts == 1


def test_recommended_older_prefers_the_tfidf_neighbour_that_is_older(corpus):
    def world(session):
        found = related_world(session)
        texts = {
            "case": "Probation officers and the council shared reoffending data to target "
                    "supervision of offenders leaving prison.",
            "one": "Reoffending by offenders leaving prison fell when probation officers "
                   "supervised them with the council.",
            "two_new": "Parks and libraries opening hours were reviewed.",
            "later": "Offenders leaving prison were supervised by probation officers again.",
        }
        for name, text in texts.items():
            found[name].body_text = text * 3
        return found

    items = populate(corpus, world)
    corpus.related.refresh()
    with corpus.session() as session:
        pick = recommended_older(session, corpus.related, shared_themes_related(session))
        case = session.get(Item, items["case"].id)
        assert pick(case).title == "Shares one"  # the closest text that is older; "later" is not
        assert pick(session.get(Item, items["two_old"].id)) is None  # nothing older at all
