"""Text helpers: sentences, folding for identity, and plain text to HTML."""

from hub.indexing.text import sentences, text_to_html
from hub.text.hashing import fingerprint
from hub.text.similarity import resemblance


def test_sentences_respect_abbreviations_and_decimals():
    text = "Savings were £1.5m, eg. in Kent. Then more came. A third one"
    assert sentences(text) == ["Savings were £1.5m, eg. in Kent.", "Then more came.",
                               "A third one"]


def test_fingerprint_ignores_whitespace_and_punctuation():
    assert fingerprint("Good practice", "A  text – with “quotes”.") == fingerprint(
        "Good  practice", "A text - with \"quotes\"")
    assert fingerprint("A", "one text") != fingerprint("A", "another text")


def test_resemblance():
    a = "the quick brown fox jumps over the lazy dog near the river bank today"
    assert resemblance(a, a) == 1.0
    assert resemblance(a, "completely different words about shared services and data") == 0.0


def test_text_to_html_escapes_and_gathers_bullets():
    html = text_to_html("Intro <b>\n• one\n• two\n\nEnd")
    assert html == "<p>Intro &lt;b&gt;</p>\n<ul><li>one</li><li>two</li></ul>\n<p>End</p>"
