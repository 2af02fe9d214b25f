"""Live popularity: time-decayed item weights published as snapshots at event-time boundaries.

One definition for training, evaluation and serving. Each item's weight is
the sum over its events of 2^(-age / half-life). The weights are published
every `interval_ms` of event time; the snapshot at boundary b holds the
events strictly before b, decayed to b. A request at time t reads the
snapshot at floor((t - delay) / interval) x interval, so it never sees its
own event or anything after it, and a job can compute the same snapshot as
soon as its watermark passes b: with a delay at least the job's watermark
lag, the snapshot is there when the request arrives.

Memory stays bounded: before an interval's events are added, an item whose
weight has decayed below `min_weight` leaves the table (its weight starts
again from 0), and a snapshot leaves out every item below `min_weight`.
Both rules give the same numbers whichever boundaries a computation visits,
because a weight only falls between its events.
"""
from dataclasses import dataclass

import numpy as np

from .data import FIRST_TOKEN_INDEX, EncodedLog

HOUR_MS = 3600_000.0
# log(share + floor) keeps items never seen finite; the floor is this share of a uniform share.
FLOOR_SHARE_OF_UNIFORM = 0.1


@dataclass(frozen=True)
class PopularityRule:
    half_life_hours: float
    interval_ms: int
    min_weight: float
    delay_ms: int

    def interval_start(self, time_ms: np.ndarray) -> np.ndarray:
        """The start of the interval each time falls in: floor(t / interval) x interval."""
        return (np.asarray(time_ms, dtype=np.int64) // self.interval_ms) * self.interval_ms

    def boundary_of(self, request_time_ms: np.ndarray) -> np.ndarray:
        """The boundary whose snapshot a request at each time reads."""
        return self.interval_start(np.asarray(request_time_ms, dtype=np.int64) - self.delay_ms)

    def decay(self, elapsed_ms) -> np.ndarray:
        """The factor a weight keeps after `elapsed_ms`."""
        return np.exp2(-np.asarray(elapsed_ms, dtype=np.float64) / (self.half_life_hours * HOUR_MS))


class DecayedWeights:
    """The per-item weights as the stream builds them, interval by interval (float64 [candidates])."""

    def __init__(self, rule: PopularityRule, num_candidates: int):
        self.rule = rule
        self.weights = np.zeros(num_candidates)
        self.at_ms = None  # the boundary the weights are decayed to

    def add_interval(self, start_ms: int, columns: np.ndarray, times_ms: np.ndarray):
        """The events of the interval starting at `start_ms` (candidate columns and times)."""
        if self.at_ms is not None:
            self.weights *= self.rule.decay(start_ms - self.at_ms)
        self.weights[self.weights < self.rule.min_weight] = 0.0
        end_ms = start_ms + self.rule.interval_ms
        self.weights *= self.rule.decay(self.rule.interval_ms)
        np.add.at(self.weights, columns, self.rule.decay(end_ms - times_ms))
        self.at_ms = end_ms

    def snapshot(self, boundary_ms: int) -> np.ndarray:
        """The weights decayed to `boundary_ms` (at or after the last interval), items below min_weight 0."""
        weights = self.weights * (self.rule.decay(boundary_ms - self.at_ms) if self.at_ms is not None else 1.0)
        weights[weights < self.rule.min_weight] = 0.0
        return weights


def log_shares(weights: np.ndarray) -> np.ndarray:
    """log(share + floor) of each candidate, float32: what the model's popularity blend reads."""
    total = weights.sum(-1, keepdims=True)
    shares = np.divide(weights, total, out=np.zeros_like(weights, dtype=np.float64), where=total > 0)
    return np.log(shares + FLOOR_SHARE_OF_UNIFORM / weights.shape[-1]).astype(np.float32)


def snapshots(rule: PopularityRule, times_ms: np.ndarray, columns: np.ndarray, num_columns: int,
              boundaries_ms: np.ndarray):
    """Yields the weights of each boundary's snapshot (float64 [num_columns]), boundaries ascending,
    from events given as times (ascending) and the weight column each adds to."""
    starts = rule.interval_start(times_ms)
    weights = DecayedWeights(rule, num_columns)
    next_event = 0
    for boundary in boundaries_ms:
        end = int(np.searchsorted(times_ms, boundary, side="left"))
        while next_event < end:
            interval_end = int(np.searchsorted(starts, starts[next_event], side="right"))
            weights.add_interval(int(starts[next_event]), columns[next_event:interval_end],
                                 times_ms[next_event:interval_end])
            next_event = interval_end
        yield weights.snapshot(int(boundary))


def known_item_rows(encoded: EncodedLog) -> np.ndarray:
    """Rows of the log's known-item events in time order (stable): what popularity counts."""
    rows = np.flatnonzero(encoded.item[:-1] >= FIRST_TOKEN_INDEX)  # the last row is padding
    return rows[np.argsort(encoded.timestamp_ms[rows], kind="stable")]


class LivePopularity:
    """The log shares of the snapshots that given request times read, as the job publishes them.

    Only the boundaries some request reads are kept: [boundaries, candidates] float32.
    """

    def __init__(self, encoded: EncodedLog, num_items: int, rule: PopularityRule, request_times_ms: np.ndarray):
        self.rule = rule
        self.boundaries_ms = np.unique(rule.boundary_of(request_times_ms))
        rows = known_item_rows(encoded)
        weights = snapshots(rule, encoded.timestamp_ms[rows], encoded.item[rows] - FIRST_TOKEN_INDEX,
                            num_items - FIRST_TOKEN_INDEX, self.boundaries_ms)
        self.log_shares = np.stack([log_shares(w) for w in weights]) if len(self.boundaries_ms) else \
            np.empty((0, num_items - FIRST_TOKEN_INDEX), dtype=np.float32)

    def snapshot_index(self, time_ms: np.ndarray) -> np.ndarray:
        """Row of `log_shares` a request at each time reads (times must be among the given requests)."""
        return np.searchsorted(self.boundaries_ms, self.rule.boundary_of(time_ms))

    def at(self, time_ms: np.ndarray) -> np.ndarray:
        """[..., candidates] log shares for request times of any shape."""
        return self.log_shares[self.snapshot_index(time_ms)]


class LiveScenePopularity:
    """Each scene's most popular items in the snapshots that given request times read: a new user's
    list (the job's NEW_USER). A scene's weights count its own events with the rule of the global
    ones; a request in a scene the vocabulary does not know reads the list over every scene. Ties go
    to the lower vocabulary index; items below the minimum weight are never listed. Where a list is
    empty (the stream has shown nothing of the scene yet), `fallback.at(scene, time)` gives it, as
    the job falls back to the training log's lists.
    """

    def __init__(self, encoded: EncodedLog, num_items: int, num_scenes: int, rule: PopularityRule,
                 request_times_ms: np.ndarray, top_k: int, fallback=None):
        self.rule = rule
        self.fallback = fallback
        self.num_scenes = num_scenes
        self.boundaries_ms = np.unique(rule.boundary_of(request_times_ms))
        candidates = num_items - FIRST_TOKEN_INDEX
        rows = known_item_rows(encoded)
        # One weight per (scene, item), with row num_scenes for every scene: each event adds to two.
        columns = encoded.item[rows] - FIRST_TOKEN_INDEX
        times = np.repeat(encoded.timestamp_ms[rows], 2)
        columns = np.stack([encoded.scene[rows] * candidates + columns, num_scenes * candidates + columns], 1)
        self.lists = []  # per boundary: [scene rows, <= top_k] vocabulary indices, most popular first
        for weights in snapshots(rule, times, columns.reshape(-1), (num_scenes + 1) * candidates,
                                 self.boundaries_ms):
            per_scene = []
            for scene_weights in weights.reshape(num_scenes + 1, candidates):
                order = np.lexsort((np.arange(candidates), -scene_weights))[:top_k]
                per_scene.append([int(c) + FIRST_TOKEN_INDEX for c in order if scene_weights[c] > 0])
            self.lists.append(per_scene)

    def at(self, scene: int, time_ms: int):
        """The list a request in `scene` (vocabulary index) at `time_ms` (among the given) reads."""
        row = scene if FIRST_TOKEN_INDEX <= scene < self.num_scenes else self.num_scenes
        listed = self.lists[int(np.searchsorted(self.boundaries_ms, self.rule.boundary_of(time_ms)))][row]
        return listed if listed or self.fallback is None else self.fallback.at(scene, time_ms)


class FixedPopularity:
    """One table of log shares for every request time: what a job serves without live popularity."""

    def __init__(self, log_shares: np.ndarray):
        self.log_shares = log_shares  # [candidates]

    def at(self, time_ms: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.log_shares, (*np.shape(time_ms), len(self.log_shares)))


def latest_log_shares(encoded: EncodedLog, num_items: int, rule: PopularityRule) -> np.ndarray:
    """Log shares per vocabulary index in the first snapshot after the log's last event.

    The table a job serves the model with until it publishes snapshots of its own; padding and
    unknown get the floor, as an item never seen does.
    """
    after_last = np.array([encoded.timestamp_ms[:-1].max() + rule.interval_ms + rule.delay_ms])
    table = np.empty(num_items, dtype=np.float32)
    table[FIRST_TOKEN_INDEX:] = LivePopularity(encoded, num_items, rule, after_last).log_shares[0]
    table[:FIRST_TOKEN_INDEX] = log_shares(np.zeros(num_items - FIRST_TOKEN_INDEX))[0]
    return table
