"""The related model's own TF-IDF counting (hub.recommend.terms) against scikit-learn's."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from hub.config import PROJECT_DIR
from hub.recommend.terms import Vocabulary, _kept_sums, _summed
from hub.recommend.vectorize import PRUNE_FROM, document_text, make_vectorizer

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from bench_related import make_records  # noqa: E402

ODD = ["Über café naïve résumé: data-sharing in 2012 cost £5m", "", "the of and it", "x y z"]


@pytest.mark.parametrize("size", [300, PRUNE_FROM + 200])  # without and with pruning
def test_the_same_vectors_as_scikit_learn(size):
    texts = [document_text(r.title, r.text) for r in make_records(size)] + ODD
    vocabulary = Vocabulary(len(texts))
    ours = vocabulary.fit_transform(texts)
    reference = make_vectorizer(len(texts))
    theirs = reference.fit_transform(texts).tocsr()
    names = reference.get_feature_names_out()
    columns = {vocabulary[c]: c for c in range(len(vocabulary))}
    assert set(columns) == set(names)
    order = np.array([columns[t] for t in names])
    assert abs(ours[:, order] - theirs).max() < 1e-6
    new = ["data sharing between the police and the council", "wholly unknown wordage", *texts[:5]]
    assert abs(vocabulary.transform(new)[:, order] - reference.transform(new)).max() < 1e-6
    assert vocabulary.bigram_start == sum(" " not in t for t in names)


def test_known_words_and_no_words():
    vocabulary = Vocabulary(2)
    vocabulary.fit_transform(["Pooled budgets for families", "pooled budgets again"])
    assert vocabulary.knows("pooled") and not vocabulary.knows("council")
    assert vocabulary.analyze("The pooled BUDGETS") == ["pooled", "budgets"]
    with pytest.raises(ValueError):
        Vocabulary(2).fit_transform(["the of and", ""])


def test_bigram_frequencies_summed_a_range_at_a_time_are_the_global_sums():
    rng = np.random.default_rng(7)
    blocks = [np.unique(rng.integers(0, 10_000, 3000)) for _ in range(5)]
    counts = [rng.integers(1, 4, len(b)).astype(np.int32) for b in blocks]
    codes, sums = _kept_sums(blocks, counts, 10_000, 3, 8)
    everything, totals = _summed(np.concatenate(blocks), np.concatenate(counts))
    kept = (totals >= 3) & (totals <= 8)
    assert np.array_equal(codes, everything[kept]) and np.array_equal(sums, totals[kept])
