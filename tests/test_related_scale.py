"""Neighbours on large corpora (hub.recommend.neighbours): the same as the exact computation."""

from __future__ import annotations

import sys

import numpy as np

from hub import recommend
from hub.config import PROJECT_DIR
from hub.recommend.neighbours import store_all
from hub.recommend.rank import PER_REPORT

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from bench_related import make_records, recall  # noqa: E402


def test_candidates_rescored_find_the_exact_neighbours():
    records = make_records(2000)
    model = recommend.fit(records)  # exact at this size
    exact, exact_scores = model.neighbours.copy(), model.neighbour_scores.copy()
    store_all(model, approximate_from=0)  # the large-corpus way, forced
    assert recall(model.neighbours, exact) >= 0.99
    # Where both found a neighbour, its score is the exact cosine (rescored, not estimated).
    same = (model.neighbours == exact) & (exact >= 0)
    assert np.allclose(model.neighbour_scores[same], exact_scores[same], atol=1e-5)
    units = model.units[model.neighbours[model.neighbours[:, 0] >= 0]]
    assert all(np.unique(u[u >= 0], return_counts=True)[1].max() <= PER_REPORT for u in units)
