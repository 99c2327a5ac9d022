"""Neighbours on large corpora (hub.recommend.neighbours): the same as the exact computation."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from scipy import sparse

from hub import recommend
from hub.config import PROJECT_DIR
from hub.recommend import clusters, neighbours
from hub.recommend.neighbours import Best, Family, group_cosines, ranking_keys, store_all
from hub.recommend.rank import PER_REPORT, item_query, ranked

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from bench_related import make_records, recall  # noqa: E402


@pytest.fixture(scope="module")
def fitted():
    model = recommend.fit(make_records(2000))  # exact at this size
    return model, model.neighbours.copy(), model.neighbour_scores.copy()


def test_neighbours_sought_in_groups_are_the_exact_neighbours(fitted):
    model, exact, exact_scores = fitted
    store_all(model, approximate_from=0)  # the large-corpus way, forced
    assert recall(model.neighbours, exact) >= 0.99
    # Where both found a neighbour, its score is the exact cosine (rescored, not estimated).
    same = (model.neighbours == exact) & (exact >= 0)
    assert np.allclose(model.neighbour_scores[same], exact_scores[same], atol=1e-5)
    units = model.units[model.neighbours[model.neighbours[:, 0] >= 0]]
    assert all(np.unique(u[u >= 0], return_counts=True)[1].max() <= PER_REPORT for u in units)
    for row in np.flatnonzero(model.alive):  # never itself, its report, sections or twins
        assert not set(model.neighbours[row]) & set(model.family_rows(row).tolist())


def test_group_cosines_are_the_exact_products():
    rng = np.random.default_rng(3)
    matrix = sparse.hstack([rng.random((300, 5)).astype(np.float32),  # held by all: dense
                            sparse.random(300, 395, density=0.05, dtype=np.float32, rng=rng)],
                           format="csr")
    queries, members = rng.choice(300, 40, replace=False), rng.choice(300, 60, replace=False)
    column_of = np.full(400, -1, np.int32)
    found = group_cosines(matrix, queries, members, column_of)
    assert np.allclose(found, (matrix[queries] @ matrix[members].T).toarray(), atol=1e-5)
    assert (column_of == -1).all()  # the scratch space is left as it was


def test_ranking_keys_are_what_ranked_scores(fitted):
    model = fitted[0]
    rows = np.flatnonzero(model.alive)[::97]
    others = np.arange(len(model.records))[None, :]
    cosines = (model.matrix[rows] @ model.transposed).toarray()
    keys = ranking_keys(model, rows, others, cosines, Family(model, rows))
    for i, row in enumerate(rows):
        picks = ranked(model, (np.arange(len(model.records)), cosines[i]),
                       item_query(model, int(row), with_vector=False), len(model.records))
        # ranked() keeps one per report of what it does not drop; the keys drop the same.
        assert {other for other, _ in picks} <= set(np.flatnonzero(keys[i] > -np.inf))
        assert np.allclose([keys[i, other] for other, _ in picks], [v for _, v in picks])
        assert not set(np.flatnonzero(keys[i] > -np.inf)) & set(model.family_rows(row).tolist())


def test_best_keeps_each_rows_largest_keys(monkeypatch):
    monkeypatch.setattr(neighbours, "KEEP", 3)
    best = Best(4)
    best.add(np.array([0, 2]), np.array([[10, 11, 12, 13]]),
             np.array([[0.1, 0.5, 0.3, -np.inf], [0.2, 0.1, -np.inf, 0.9]], np.float32))
    best.add(np.array([2]), np.array([[20, 21]]), np.array([[0.15, 0.3]], np.float32))
    assert sorted(best.of(0)[0].tolist()) == [10, 11, 12]
    assert sorted(best.of(2)[0].tolist()) == [10, 13, 21]
    assert not len(best.of(1)[0])


def test_groups_hold_alike_rows_and_leave_out_rows_without_features(monkeypatch):
    monkeypatch.setattr(clusters, "CLUSTER_SIZE", 5)
    rng = np.random.default_rng(5)
    topics, per_topic = 25, 20
    rows, columns = [], []
    for row in range(topics * per_topic):  # topics of twenty words, eight a row
        words = rng.choice(20, 8, replace=False) + 100 * (row // per_topic)
        rows += [row] * len(words)
        columns += words.tolist()
    rows.append(topics * per_topic)  # a row holding one word nobody else has
    columns.append(topics * 100)
    matrix = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, columns)),
                               shape=(topics * per_topic + 1, topics * 100 + 1))
    groups = clusters.group(matrix, matrix.T.tocsr(), np.arange(matrix.shape[0]))
    assert groups.unplaced.tolist() == [topics * per_topic]
    for label in np.unique(groups.labels):  # a group holds one topic's rows
        assert len(set(groups.rows[groups.labels == label] // per_topic)) == 1
    assert (groups.probes == groups.labels[:, None]).any(axis=1).all()
