import numpy as np
import pytest

from interest_model.data import EncodedLog
from interest_model.live_popularity import (FLOOR_SHARE_OF_UNIFORM, DecayedWeights, LivePopularity,
                                            LiveScenePopularity, PopularityRule, latest_log_shares)

HOUR_MS = 3600_000
NUM_ITEMS = 5  # vocabulary size: padding, unknown, items 2, 3, 4 -> candidate columns 0, 1, 2
FLOOR = FLOOR_SHARE_OF_UNIFORM / 3


def encoded(items, times_ms, scenes=None):
    """An EncodedLog of the given events (all in scene 2 unless given) plus its padding row."""
    items = np.array(items + [0])
    scenes = np.array((scenes or [2] * (len(items) - 1)) + [0])
    return EncodedLog(items, scenes, np.zeros_like(items), np.array(times_ms + [0], dtype=np.int64))


def rule_of(half_life_hours, min_weight, delay_ms=0):
    return PopularityRule(half_life_hours, interval_ms=HOUR_MS, min_weight=min_weight, delay_ms=delay_ms)


def test_a_request_reads_the_snapshot_of_its_interval_start_which_holds_only_earlier_events():
    rule = rule_of(1e9, 0.0)
    log = encoded([2, 3, 3, 4], [0, HOUR_MS, HOUR_MS + 5, 2 * HOUR_MS + 10])
    requests = np.array([10, HOUR_MS + 5, 2 * HOUR_MS - 1, 2 * HOUR_MS + 10, 5 * HOUR_MS])
    shares = np.exp(LivePopularity(log, NUM_ITEMS, rule, requests).at(requests)) - FLOOR
    expected = [[0, 0, 0],  # nothing before the boundary at 0
                [1, 0, 0],  # at 1 h: the event at 0 only, not the one at the same hour
                [1, 0, 0],
                [1 / 3, 2 / 3, 0],  # at 2 h: the events of the first two hours
                [1 / 4, 2 / 4, 1 / 4]]
    assert np.allclose(shares, expected, atol=1e-6)


def test_a_request_reads_the_snapshot_of_the_delay_before_it():
    rule = rule_of(1e9, 0.0, delay_ms=10 * 60_000)
    assert rule.boundary_of(np.array([HOUR_MS + 9 * 60_000, HOUR_MS + 10 * 60_000])).tolist() == [0, HOUR_MS]


def test_weights_decay_by_half_per_half_life_to_the_boundary():
    rule = rule_of(2.0, 0.0)
    weights = DecayedWeights(rule, 3)
    weights.add_interval(0, np.array([0]), np.array([0]))
    weights.add_interval(2 * HOUR_MS, np.array([1]), np.array([3 * HOUR_MS - 1]))
    snapshot = weights.snapshot(3 * HOUR_MS)
    # The event at 0 is three hours old at the boundary, the other one a millisecond.
    assert snapshot[0] == pytest.approx(2 ** -1.5)
    assert snapshot[1] == pytest.approx(1.0, rel=1e-6)


def test_an_item_below_the_minimum_weight_leaves_the_table_and_starts_again_from_zero():
    rule = rule_of(1.0, 0.1)
    weights = DecayedWeights(rule, 2)
    weights.add_interval(0, np.array([0, 1]), np.array([HOUR_MS - 1, HOUR_MS - 1]))
    assert weights.snapshot(4 * HOUR_MS)[0] == pytest.approx(2 ** -3)
    assert weights.snapshot(5 * HOUR_MS)[0] == 0  # 1/16 < 0.1: out of the snapshot
    weights.add_interval(6 * HOUR_MS, np.array([0]), np.array([7 * HOUR_MS - 1]))
    # Item 0 starts again from this event alone; its old 1/64 is gone.
    assert weights.snapshot(7 * HOUR_MS)[0] == pytest.approx(1.0, rel=1e-6)


def test_the_snapshots_do_not_depend_on_which_boundaries_are_requested():
    rule = rule_of(3.0, 0.2, delay_ms=600_000)
    generator = np.random.default_rng(3)
    times = np.sort(generator.integers(0, 40 * HOUR_MS, 60)).tolist()
    log = encoded(generator.integers(2, NUM_ITEMS, 60).tolist(), times)
    every_hour = np.arange(0, 41) * HOUR_MS + 600_000
    few = every_hour[::7]
    dense = LivePopularity(log, NUM_ITEMS, rule, every_hour)
    sparse = LivePopularity(log, NUM_ITEMS, rule, few)
    assert np.array_equal(dense.at(few), sparse.at(few))


def test_the_exported_table_is_the_snapshot_after_the_last_event_with_the_floor_for_padding_and_unknown():
    rule = rule_of(1e9, 0.0, delay_ms=600_000)
    table = latest_log_shares(encoded([2, 3, 3], [0, 10, HOUR_MS + 3]), NUM_ITEMS, rule)
    assert np.allclose(np.exp(table) - FLOOR, [0, 0, 1 / 3, 2 / 3, 0], atol=1e-6)


NUM_SCENES = 4  # scene vocabulary: padding, unknown, scenes 2 and 3


def test_a_new_users_list_holds_the_scenes_items_by_live_weight_and_every_scenes_for_an_unknown_scene():
    rule = rule_of(1.0, 0.1)
    # Scene 2: item 3 twice, item 2 once; scene 3: item 4 once, an hour later.
    log = encoded([3, 2, 3, 4], [0, 5, 10, HOUR_MS + 1], scenes=[2, 2, 2, 3])
    requests = np.array([HOUR_MS, 2 * HOUR_MS, 5 * HOUR_MS])
    lists = LiveScenePopularity(log, NUM_ITEMS, NUM_SCENES, rule, requests, top_k=2)
    assert lists.at(2, HOUR_MS) == [3, 2]
    assert lists.at(3, HOUR_MS) == []  # nothing of scene 3 before the boundary
    assert lists.at(3, 2 * HOUR_MS) == [4]
    # An unknown scene reads every scene's weights: item 4's event is newer than item 2's.
    assert lists.at(1, 2 * HOUR_MS) == [3, 4]
    # At 5 h item 3's 2 x 2^-5 is below the minimum, and so is everything else.
    assert lists.at(2, 5 * HOUR_MS) == []


def test_items_of_equal_weight_are_listed_by_vocabulary_index():
    rule = rule_of(1e9, 0.0)
    log = encoded([4, 2, 3], [0, 0, 0])
    lists = LiveScenePopularity(log, NUM_ITEMS, NUM_SCENES, rule, np.array([HOUR_MS]), top_k=3)
    assert lists.at(2, HOUR_MS) == [2, 3, 4]


def test_a_scenes_list_ranks_by_the_weights_the_global_table_would_give_its_events():
    rule = rule_of(3.0, 0.2)
    generator = np.random.default_rng(4)
    times = np.sort(generator.integers(0, 40 * HOUR_MS, 80)).tolist()
    items, scenes = generator.integers(2, NUM_ITEMS, 80).tolist(), generator.integers(2, NUM_SCENES, 80).tolist()
    requests = np.arange(1, 41) * HOUR_MS
    lists = LiveScenePopularity(encoded(items, times, scenes), NUM_ITEMS, NUM_SCENES, rule, requests, top_k=3)
    for scene in (2, 3):
        mine = [n for n, s in enumerate(scenes) if s == scene]
        alone = LivePopularity(encoded([items[n] for n in mine], [times[n] for n in mine]), NUM_ITEMS, rule,
                               requests)
        for time_ms, shares in zip(requests, alone.at(requests)):
            weights = np.exp(shares.astype(np.float64)) - FLOOR
            expected = [int(c) + 2 for c in np.lexsort((np.arange(3), -weights)) if weights[c] > 1e-6]
            assert lists.at(scene, int(time_ms)) == expected


def test_an_empty_list_is_the_fallbacks():
    class Training:
        def at(self, scene, time_ms):
            return [4, 3]

    log = encoded([2], [HOUR_MS], scenes=[2])
    lists = LiveScenePopularity(log, NUM_ITEMS, NUM_SCENES, rule_of(1.0, 0.1), np.array([HOUR_MS, 2 * HOUR_MS]),
                                top_k=2, fallback=Training())
    assert lists.at(2, HOUR_MS) == [4, 3]  # nothing before the first boundary
    assert lists.at(2, 2 * HOUR_MS) == [2]
