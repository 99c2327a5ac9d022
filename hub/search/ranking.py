"""How results are ranked: every ranking parameter, in one place.

Every choice here was made on the relevance harness (scripts/eval_search.py over the shared
IR collections, and tests/relevance/ over our own content); change one only with the figures
before and after. Read by the query builder (field weights, the all-words tier, phrases), the
Whoosh weighting model (BM25F k1, b and idf) and the array scorer, which must score exactly
as Whoosh does (tests/test_array_search.py checks it).

1. Text becomes terms through ANALYZER (hub.search.analysis): Snowball stems after folding
   American spellings, English stop words dropped.
2. A term scores BM25F (K1, B, FIELD_B) with the Robertson-Sparck Jones idf, in each field of
   FIELD_WEIGHTS, times that field's weight; a document's score is the sum over the query's
   words. "body" (MATCH_FIELD) holds all the text, title and headings included, and decides
   what matches; "title" (the title, headings and theme tags) adds a boost.
3. A synonym (content/taxonomy/synonyms.yml) stands in for the typed word at SYNONYM_WEIGHT,
   and a group of synonyms scores by its best alternative, so synonyms never add up.
4. A document matching every typed word (or a synonym of it) gets ALL_WORDS_BONUS, far above
   any BM25F score: documents with all the words rank above documents with some, and BM25F
   orders each tier. Common words (in more than COMMON_WORD_SHARE of the documents) are not
   required for the tier unless every word typed is common; nor, in a short query, are weak
   words (far commoner than its rarest word: "reducing" in "reducing worklessness"), which
   also weigh less (WEAK_WORD_WEIGHT).
5. Several words typed that form a known phrase add it as an exact phrase (PHRASE_SLOP).
   Words that name a theme of the vocabulary (its name or one of its terms: "customer
   insight", "worklessness") lift what matches by the theme's other one-word terms
   (CONCEPT_WEIGHT in all) and by SUBJECT_BOOST where the source or an editor declared that
   theme; neither admits a document the words do not.
6. Results are units a reader wants (hub.search.whoosh.grouping): within a tier, each type's
   score is weighed by TYPE_PRIOR, so a whole item passes a report's section when their
   scores are close; a report's sections fold into its best-scoring one; and a report
   holds at most MOST_PER_REPORT of the first FIRST_PAGE results.
7. A descriptive query (FEEDBACK_MIN_WORDS words or more) is widened by pseudo-relevance
   feedback (hub.search.feedback): Cranfield nDCG@10 0.367 -> 0.388, CISI 0.412 -> 0.418
   (stemmed BM25 0.359 and 0.396); short queries, the practitioner set's, are left as typed.
"""

from __future__ import annotations

import math

ANALYZER = "snowball"

# Ranked fields and their weights. One bag of all text plus a title boost beat weighting
# separate fields on the harness (title 2.5: Cranfield nDCG@10 0.343; all 1.0: 0.364;
# this: 0.367), and one boost field instead of three halves the matchers a query builds.
FIELD_WEIGHTS = {"title": 0.5, "body": 1.0}
MATCH_FIELD = "body"

# BM25F: term-frequency saturation, and length normalisation (per field where set).
K1 = 1.2
B = 0.75
FIELD_B: dict[str, float] = {}

ALL_WORDS_BONUS = 1000.0
# Pseudo-relevance feedback (hub.search.feedback) for queries of FEEDBACK_MIN_WORDS words or
# more: the first FEEDBACK_DOCUMENTS results lend FEEDBACK_TERMS words, the typed words keep a
# FEEDBACK_KEEP share of the weight.
FEEDBACK_MIN_WORDS = 5
FEEDBACK_DOCUMENTS = 5
FEEDBACK_TERMS = 10
FEEDBACK_KEEP = 0.7
# A word in more than this share of the documents is common: the all-words tier does not
# require it ("reducing worklessness": what has "worklessness" is in the first tier).
COMMON_WORD_SHARE = 0.3  # practitioner 0.938 (0.1: 0.921; all words required: 0.938)
SYNONYM_WEIGHT = 0.5
PHRASE_SLOP = 1
# Weak words: in a query of at most WEAK_QUERY_WORDS telling words, a word whose idf is under
# WEAK_WORD_IDF_RATIO of the rarest word's is neither required for the first tier nor weighed
# in full. Longer queries are descriptions, every word of which counts (applied to queries of
# up to 4 words, CISI nDCG@10 fell 0.419 -> 0.415).
WEAK_QUERY_WORDS = 3
WEAK_WORD_IDF_RATIO = 0.6
WEAK_WORD_WEIGHT = 0.5
# A theme named in the query: its other one-word terms and acronyms share CONCEPT_WEIGHT
# (with its phrases too, practitioner nDCG@10 was 0.948 against 0.945, but a query naming a
# theme took 60-90 ms more at 10,000 documents: phrases walk word positions), and
# an item whose source or editor declared the theme gains SUBJECT_BOOST (BM25F scores of a
# matching item are mostly 3 to 10). Chosen with TYPE_PRIOR below on tests/relevance/.
CONCEPT_WEIGHT = 1.0
SUBJECT_BOOST = 0.75

# Within a tier, a report's section yields to a whole item of nearly the same score, and a
# case study (what a practitioner most often wants) passes an article or guide of nearly the
# same score. Set on tests/relevance/ in result units (the IR collections cannot inform it:
# one type there). Sections alone (x0.9): practitioner nDCG@10 0.938 and seeds 0.959; no
# prior 0.938 and 0.923. With weak words, topics and declared themes (above), on a grid of
# SUBJECT_BOOST 0.5-1.0, case studies x1.0-1.1 and WEAK_WORD_WEIGHT 0.5-1.0, this setting and
# each of its neighbours on those axes put the answer to each everyday query in
# tests/test_relevance.py in the first three, as do CONCEPT_WEIGHT 0.5 and 2.0 (with case
# studies x1.0, one falls to 4th): practitioner 0.945, seeds 0.952.
TYPE_PRIOR = {"section": 0.9, "case_study": 1.1}
MOST_PER_REPORT = 2  # results a report may hold on the first page (FIRST_PAGE results)
FIRST_PAGE = 10


def b_for(field: str) -> float:
    """The BM25F length normalisation of one field."""
    return FIELD_B.get(field, B)


def idf(doc_count: int, doc_frequency: int) -> float:
    """Robertson-Sparck Jones idf, log(1 + (N - df + 0.5) / (df + 0.5)); Whoosh's default,
    log(N / (df + 1)) + 1, ranked worse on the harness."""
    return math.log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


def bm25(weights, lengths, average_length: float, idf_value: float, field: str):
    """BM25F of a term in one field: its frequency (weights) in documents of these lengths.

    Works on numbers and on numpy arrays alike (the array scorer passes whole postings)."""
    b = b_for(field)
    return idf_value * ((weights * (K1 + 1))
                        / (weights + K1 * ((1 - b) + b * lengths / average_length)))
