"""Popularity: the three popularity baselines.

Global and scene popularity count training events (as published
popularity baselines do, so the numbers compare). Decayed popularity (like
the streaming model's input, live_popularity.py) is time-causal: a query at time t counts the
log's events strictly before t, whoever made them: that is what a
streaming job has at request time, and it never includes the target or
anything after it.
Scorers follow `evaluate.evaluate_scorer`: example indices -> scores over
candidate columns (known items, vocabulary index - 2).
"""
import numpy as np

from .data import FIRST_TOKEN_INDEX, PAD_INDEX, EncodedLog
from .evaluate import EvaluationSet

HOURS_TO_MS = 3600_000.0
# Scene popularity breaks ties (and serves a scene with no events yet) by
# global popularity scaled far below one event's share.
TIE_BREAK_SHARE = 1e-3


def _event_weights(times_ms: np.ndarray, half_life_hours):
    """Weight of each event, up to one factor shared by all: 2^((t - latest) / half-life), or 1."""
    if half_life_hours is None:
        return np.ones(len(times_ms))
    return np.exp2((times_ms - times_ms.max(initial=0)) / (half_life_hours * HOURS_TO_MS))


def popularity_before(encoded: EncodedLog, num_items: int, event_rows: np.ndarray, query_time_ms: np.ndarray,
                      query_key: np.ndarray, event_key: np.ndarray, num_keys: int, half_life_hours=None):
    """Item shares among `event_rows` before each query time: float32 [queries, candidates].

    Events and queries are grouped by key (0 for one global group, or a
    scene index); a query reads its key's group. Each row sums to 1 (all 0
    when its group has no earlier event). `half_life_hours` None counts
    every event once, otherwise events are weighted 2^(-age / half-life).
    """
    num_candidates = num_items - FIRST_TOKEN_INDEX
    events = event_rows[encoded.item[event_rows] >= FIRST_TOKEN_INDEX]
    events = events[np.argsort(encoded.timestamp_ms[events], kind="stable")]
    times = encoded.timestamp_ms[events]
    weights = _event_weights(times, half_life_hours)
    columns = encoded.item[events] - FIRST_TOKEN_INDEX
    running = np.zeros((num_keys, num_candidates))
    shares = np.zeros((len(query_time_ms), num_candidates), dtype=np.float32)
    next_event = 0
    for query in np.argsort(query_time_ms, kind="stable"):
        end = int(np.searchsorted(times, query_time_ms[query], side="left"))
        np.add.at(running, (event_key[events[next_event:end]], columns[next_event:end]), weights[next_event:end])
        next_event = max(next_event, end)
        row = running[query_key[query]]
        total = row.sum()
        if total > 0:
            shares[query] = row / total
    return shares


def all_events(encoded: EncodedLog) -> np.ndarray:
    """Every event row of the log (the last entry of an EncodedLog is the padding row)."""
    return np.arange(len(encoded.item) - 1)


def _after_everything(encoded: EncodedLog, count: int) -> np.ndarray:
    return np.full(count, encoded.timestamp_ms.max() + 1, dtype=np.int64)


def global_popularity(encoded: EncodedLog, num_items: int, train_rows: np.ndarray, evaluation: EvaluationSet):
    """Training events per item: the same scores for every example."""
    shares = popularity_before(encoded, num_items, train_rows, _after_everything(encoded, 1), np.zeros(1, np.int64),
                               np.zeros_like(encoded.item), 1)
    return lambda batch: np.broadcast_to(shares[0], (len(batch), shares.shape[1]))


def scene_popularity(encoded: EncodedLog, num_items: int, train_rows: np.ndarray, evaluation: EvaluationSet,
                     context_scene: np.ndarray, num_scenes: int):
    """Training events per item in the scene each example is scored for (`context_scene`, vocabulary index)."""
    scenes = np.arange(num_scenes)
    shares = popularity_before(encoded, num_items, train_rows, _after_everything(encoded, num_scenes), scenes,
                               encoded.scene, num_scenes)
    overall = global_popularity(encoded, num_items, train_rows, evaluation)
    return lambda batch: shares[context_scene[batch]] + TIE_BREAK_SHARE * overall(batch)


def decayed_popularity(encoded: EncodedLog, num_items: int, evaluation: EvaluationSet, half_life_hours: float):
    """Events per item before the request, each weighted 2^(-age / half-life)."""
    keys = np.zeros(len(evaluation.query_time_ms), dtype=np.int64)
    shares = popularity_before(encoded, num_items, all_events(encoded), evaluation.query_time_ms, keys,
                               np.zeros_like(encoded.item), 1, half_life_hours)
    return lambda batch: shares[batch]


def newest_history_scene(encoded: EncodedLog, evaluation: EvaluationSet) -> np.ndarray:
    """The scene of each example's newest input event (padding when it has none)."""
    newest = evaluation.examples.history_rows[:, -1]
    return np.where(newest >= 0, encoded.scene[newest], PAD_INDEX)
