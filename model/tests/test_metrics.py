import math

import numpy as np
import pytest

from interest_model.evaluate import metrics_from_ranks, target_ranks


def test_ranks_exclude_history_but_keep_the_target():
    scores = np.array([
        # target column 2; column 0 is in the history and would beat it
        [0.9, 0.1, 0.5, 0.7, 0.2],
        # target column 1 is also in the history: it stays a candidate
        [0.1, 0.8, 0.9, 0.3, 0.95],
        # ties with the target: half of the 2 tied items rank ahead
        [0.4, 0.4, 0.4, 0.9, 0.0],
        # target item unknown to the vocabulary: cannot be ranked
        [0.1, 0.2, 0.3, 0.4, 0.5],
    ])
    ranks = target_ranks(scores, np.array([2, 1, 0, -1]),
                         [np.array([0]), np.array([1, 4]), np.array([], dtype=int), np.array([1])])
    assert ranks.tolist() == [1, 1, 2, math.inf]


def test_metrics_match_a_hand_computed_example():
    ranks = np.array([0, 1, 9, 10, math.inf])
    metrics = metrics_from_ranks(ranks)
    assert metrics["HR@10"] == pytest.approx(3 / 5)
    # NDCG@10 for one relevant item: 1 / log2(rank + 2) when rank < 10
    assert metrics["NDCG@10"] == pytest.approx((1 + 1 / math.log2(3) + 1 / math.log2(11)) / 5)
    assert metrics["MRR"] == pytest.approx((1 + 1 / 2 + 1 / 10 + 1 / 11 + 0) / 5)
    assert metrics["n"] == 5


def test_empty_group_gives_nan_not_an_error():
    metrics = metrics_from_ranks(np.array([]))
    assert metrics["n"] == 0 and math.isnan(metrics["HR@10"])
