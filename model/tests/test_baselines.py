import numpy as np
import pytest

from interest_model.baselines import all_events, popularity_before
from interest_model.data import EncodedLog

HOUR_MS = 3600_000
NUM_ITEMS = 5  # vocabulary size: padding, unknown, items 2, 3, 4 -> candidate columns 0, 1, 2


def encoded(items, times_ms, scenes=None):
    """An EncodedLog of the given events plus its padding row."""
    items = np.array(items + [0])
    scenes = np.array((scenes or [2] * (len(items) - 1)) + [0])
    return EncodedLog(items, scenes, np.zeros_like(items), np.array(times_ms + [0], dtype=np.int64))


def test_a_query_counts_only_events_strictly_before_it():
    log = encoded([2, 3, 3, 4], [0, HOUR_MS, 2 * HOUR_MS, 3 * HOUR_MS])
    queries = np.array([0, 2 * HOUR_MS, 10 * HOUR_MS])
    shares = popularity_before(log, NUM_ITEMS, all_events(log), queries, np.zeros(3, np.int64),
                               np.zeros_like(log.item), 1)
    assert shares.tolist() == [[0, 0, 0], [0.5, 0.5, 0], [0.25, 0.5, 0.25]]


def test_decay_halves_an_event_per_half_life():
    log = encoded([2, 3], [0, 2 * HOUR_MS])
    shares = popularity_before(log, NUM_ITEMS, all_events(log), np.array([3 * HOUR_MS]), np.zeros(1, np.int64),
                               np.zeros_like(log.item), 1, half_life_hours=2.0)
    # Item 2 is two hours (one half-life) older than item 3.
    assert shares[0, 0] / shares[0, 1] == pytest.approx(0.5)


def test_scene_groups_count_their_own_events():
    log = encoded([2, 3, 3], [0, HOUR_MS, HOUR_MS], scenes=[2, 3, 3])
    shares = popularity_before(log, NUM_ITEMS, all_events(log), np.array([5 * HOUR_MS] * 2), np.array([2, 3]),
                               log.scene, 4)
    assert shares.tolist() == [[1, 0, 0], [0, 1, 0]]
