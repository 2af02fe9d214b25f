"""Popularity: the three popularity baselines and the streaming model's popularity input.

Global and scene popularity count training events (as published
popularity baselines do, so the numbers compare). Decayed popularity, and
the streaming model's input, are time-causal: a query at time t counts the
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
# log(share + floor) keeps items never seen finite; the floor is this share of a uniform share.
FLOOR_SHARE_OF_UNIFORM = 0.1


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


class PopularitySnapshots:
    """Log item shares of time-decayed popularity, refreshed at fixed times: the streaming model's input.

    Refresh b counts the events before boundary b; a query at time t reads
    the latest refresh at or before t.
    """

    def __init__(self, encoded: EncodedLog, num_items: int, half_life_hours: float, count: int):
        known_times = encoded.timestamp_ms[:-1][encoded.item[:-1] >= FIRST_TOKEN_INDEX]
        self.boundaries_ms = np.unique(np.quantile(known_times, np.linspace(0, 1, count)).astype(np.int64))
        keys = np.zeros(len(self.boundaries_ms), dtype=np.int64)
        shares = popularity_before(encoded, num_items, all_events(encoded), self.boundaries_ms, keys,
                                   np.zeros_like(encoded.item), 1, half_life_hours)
        self.log_shares = log_shares(shares)

    def refresh_at(self, time_ms: np.ndarray) -> np.ndarray:
        """Index of the refresh a query at each time reads (padding times read refresh 0)."""
        return np.clip(np.searchsorted(self.boundaries_ms, time_ms, side="right") - 1, 0, None)

    def at(self, time_ms: np.ndarray) -> np.ndarray:
        """[..., candidates] log shares for query times of any shape."""
        return self.log_shares[self.refresh_at(time_ms)]


def log_shares(shares: np.ndarray) -> np.ndarray:
    """log(share + floor), float32: what the streaming model's popularity blend reads."""
    return np.log(shares + FLOOR_SHARE_OF_UNIFORM / shares.shape[-1]).astype(np.float32)


def latest_log_shares(encoded: EncodedLog, num_items: int, half_life_hours: float) -> np.ndarray:
    """Log shares of time-decayed popularity after the log's last event, per vocabulary index.

    The table a job serves the model with until the next export; padding
    and unknown get the floor, as an item never seen does.
    """
    shares = popularity_before(encoded, num_items, all_events(encoded), _after_everything(encoded, 1),
                               np.zeros(1, np.int64), np.zeros_like(encoded.item), 1, half_life_hours)[0]
    table = np.empty(num_items, dtype=np.float32)
    table[FIRST_TOKEN_INDEX:] = log_shares(shares)
    table[:FIRST_TOKEN_INDEX] = log_shares(np.zeros_like(shares))[0]
    return table


def newest_history_scene(encoded: EncodedLog, evaluation: EvaluationSet) -> np.ndarray:
    """The scene of each example's newest input event (padding when it has none)."""
    newest = evaluation.examples.history_rows[:, -1]
    return np.where(newest >= 0, encoded.scene[newest], PAD_INDEX)
