"""Word-level OCR repair: run-together words, hyphenation at line ends, ligatures, damaged URLs.

A word is only ever changed when it is outside the vocabulary (symspellpy's English frequency
list of about 83,000 words, plus the names in the editors' vocabulary and the proper nouns the
document itself repeats). Run-together words are split with wordninja's word-frequency
segmenter, and the split is kept only when every part is a dictionary word and one of them is
a short function word: OCR drops the space around "in", "the", "is", "a"..., whereas a split
such as "Tame side" or "well being" would break a real name or compound. A capitalised word
is a name ("Radisson" is not "Rad is son") unless it starts a sentence with a function word
("Thisreportis"). A word a PDF broke in two ("Corpor ate") is joined when the halves are not
both words and the whole is.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterable
from functools import lru_cache

import wordninja

FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "in", "is", "to", "and", "or", "not", "on", "at", "by", "for", "as",
    "it", "be", "was", "are", "has", "had", "have", "with", "that", "this", "these", "those",
    "from", "which", "their", "its", "can", "will", "we", "they", "there", "were", "been",
    "but", "all", "our", "into", "than", "so", "if", "no", "do", "does", "did"
})
SINGLE_LETTER_WORDS = frozenset({"a", "i"})
HEADING_JOINS = frozenset({"and", "of", "the"})
MIN_REPAIR_LENGTH = 4  # shorter tokens are too ambiguous to split
MIN_ENGLISH_SHARE = 0.6  # of a document's longer words, for it to count as English
ENGLISH_SAMPLE = 20_000  # words looked at to decide

_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00ad": ""})
# "http:/Avww." and the like: OCR reads "//" as "/A" or "/" and "www" as "vww" or "wvww".
_BROKEN_WWW = re.compile(r"\b(https?):/{1,2}[A\\/]?(?:[vw]{2,4}|VWW|WWW)\.", re.IGNORECASE)
_SINGLE_SLASH = re.compile(r"\b(https?):/(?=[A-Za-z0-9])(?!/)")
_TOKEN = re.compile(rf"(?<![\w@/.])[A-Za-z]{{{MIN_REPAIR_LENGTH},}}(?![\w@])")
_PIECE = re.compile(r"(?<![\w@/.])[A-Za-z]{2,}(?![\w@])")
MIN_JOIN_LEFT = 3  # "Corpor ate": the first piece of a broken word has at least this many
_CAPITALISED = re.compile(rf"(?<![\w@/.])[A-Z][a-z]{{{MIN_REPAIR_LENGTH - 1},}}(?![\w@])")
MIN_NAME_REPEATS = 2  # a capitalised non-word the document uses this often is a name
_CAMEL = re.compile(r"^[A-Z]?[a-z]+(?:[A-Z][a-z]+)+$")
_CAMEL_PARTS = re.compile(r"[A-Z]?[a-z]+")


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """English words, lower-case, from symspellpy's frequency dictionary."""
    resource = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    with resource.open(encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle if line.strip())


def is_word(word: str, known: frozenset[str] = frozenset()) -> bool:
    """True for a dictionary word or one the caller vouches for (case-insensitive)."""
    lower = word.lower()
    return lower in vocabulary() or lower in known


def known_words(names: Iterable[str]) -> frozenset[str]:
    """The words of some names (places, organisations), lower-case, to keep them whole.

    A document's own frequent words are deliberately not trusted: OCR repeats its errors
    ("Dataand Systems" in a heading, the contents and a list).
    """
    return frozenset(token.lower() for name in names for token in _TOKEN.findall(name))


def proper_nouns(texts: Iterable[str]) -> frozenset[str]:
    """Capitalised words outside the dictionary that a document uses more than once (names:
    "Radisson", "Tameside"), lower-case, to be kept whole like the vocabulary's names."""
    counts: dict[str, int] = {}
    for text in texts:
        for token in _CAPITALISED.findall(text):
            lower = token.lower()
            if lower not in vocabulary():
                counts[lower] = counts.get(lower, 0) + 1
    return frozenset(word for word, count in counts.items() if count >= MIN_NAME_REPEATS)


def join_broken_words(text: str, known: frozenset[str] = frozenset()) -> str:
    """'Corpor ate' -> 'Corporate': two pieces that are not both words and whose join is."""
    return _repair_pieces(text, known, split=False)


def fix_ligatures(text: str) -> str:
    """Ligature glyphs spelled out and soft hyphens dropped."""
    return text.translate(_LIGATURES)


def repair_urls(text: str) -> str:
    """'http:/Avww.example.org' and 'http:/example.org' back to proper URLs."""
    text = _BROKEN_WWW.sub(lambda m: f"{m.group(1).lower()}://www.", text)
    return _SINGLE_SLASH.sub(lambda m: f"{m.group(1)}://", text)


def join_hyphenated(left: str, right: str, known: frozenset[str] = frozenset()) -> str:
    """A word broken across a line end ('decision-', 'making'), joined the right way."""
    head = left[:-1]
    match_head = re.search(r"[A-Za-z]+$", head)
    match_tail = re.match(r"[A-Za-z]+", right)
    if match_head and match_tail and is_word(match_head.group() + match_tail.group(), known):
        return head + right  # "custo-" + "mer": one word that was split
    return left + right  # "decision-" + "making": a real compound keeps its hyphen


def join_line(left: str, right: str, known: frozenset[str] = frozenset()) -> str:
    """Two wrapped lines of one paragraph as one, rejoining a word hyphenated at the break."""
    if left.endswith("-") and right[:1].islower() and not left.endswith(" -"):
        return join_hyphenated(left, right, known)
    return f"{left} {right}" if left and right else left or right


def split_run_together(token: str, known: frozenset[str] = frozenset()) -> str:
    """'Thisreportis' -> 'This report is'; the token unchanged when no safe split exists."""
    if is_word(token, known) or token.isupper():
        return token
    if _CAMEL.match(token):
        parts = _CAMEL_PARTS.findall(token)
        return " ".join(parts) if all(is_word(p) for p in parts) else token
    if not (token.islower() or token[1:].islower()):
        return token  # mixed case ("VfM", "IDeA") is deliberate
    parts = wordninja.split(token.lower())
    if not _acceptable_split(parts):
        return token
    if token[0].isupper() and not (parts[0] in FUNCTION_WORDS or _heading_join(parts)):
        # A name ("Radisson"), unless a sentence starts run on ("Thisreportis") or a heading
        # lost the space before its joining word ("Dataand Systems", "Reviewof").
        return token
    first = parts[0]
    parts[0] = first[:1].upper() + first[1:] if token[0].isupper() else first
    return " ".join(parts)


def _heading_join(parts: list[str]) -> bool:
    """A word of four letters or more and then "and", "of" or "the": a name never splits so
    (a name ending in "-land" or "-ton" does not split into a word and one of these)."""
    return len(parts) == 2 and len(parts[0]) >= 4 and parts[1] in HEADING_JOINS


def _acceptable_split(parts: list[str]) -> bool:
    return (
        len(parts) >= 2
        and all(len(p) > 1 or p in SINGLE_LETTER_WORDS for p in parts)
        and all(p in vocabulary() for p in parts)
        and any(p in FUNCTION_WORDS for p in parts)
    )


def repair_words(text: str, known: frozenset[str] = frozenset(), split: bool = True) -> str:
    """Ligatures, damaged URLs and (unless told not to) run-together words repaired."""
    text = repair_urls(fix_ligatures(text))
    if not split:
        return text
    return _repair_pieces(text, known, split=True)


def _repair_pieces(text: str, known: frozenset[str], split: bool) -> str:
    """One pass over the words: a piece joined to its neighbour when they are not both words
    and their join is; a run-together word split (when `split`). Only pieces outside the
    dictionary are looked at (a set look-up for the others): it runs over every paragraph."""
    strange = {w for w in set(_PIECE.findall(text)) if not is_word(w, known)}
    if not strange:
        return text
    pieces = list(_PIECE.finditer(text))
    out: list[str] = []
    last = 0  # end of the text already copied to out
    for index, match in enumerate(pieces):
        word = match.group()
        if word not in strange or match.start() < last:
            continue
        before = pieces[index - 1] if index else None
        after = pieces[index + 1] if index + 1 < len(pieces) else None
        if before is not None and before.end() >= last and _joins(text, before, match, known):
            out += [text[last:before.start()], before.group() + word]
            last = match.end()
        elif after is not None and _joins(text, match, after, known):
            out += [text[last:match.start()], word + after.group()]
            last = after.end()
        elif split and len(word) >= MIN_REPAIR_LENGTH:
            repaired = split_run_together(word, known)
            if repaired != word:
                out += [text[last:match.start()], repaired]
                last = match.end()
    out.append(text[last:])
    return "".join(out)


def _joins(text: str, left: re.Match, right: re.Match, known: frozenset[str]) -> bool:
    """True when two pieces one space apart are a word a PDF broke ('Corpor ate')."""
    return (right.start() == left.end() + 1 and text[left.end()] == " "
            and len(left.group()) >= MIN_JOIN_LEFT and right.group().islower()
            and is_word(left.group() + right.group(), known))


def mostly_english(texts: Iterable[str]) -> bool:
    """True when most longer words of a text are English: only then may words be split
    (an English segmenter reads German "Homotopie" as "homo to pie")."""
    tokens = [t.lower() for text in texts for t in _TOKEN.findall(text)][:ENGLISH_SAMPLE]
    english = sum(1 for t in tokens if t in vocabulary())
    return bool(tokens) and english >= MIN_ENGLISH_SHARE * len(tokens)
