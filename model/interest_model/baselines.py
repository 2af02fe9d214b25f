"""Popularity baselines, fitted on training events only.

Each returns a scorer for `evaluate.evaluate_scorer`: example indices ->
scores over candidate columns (known items, vocabulary index - 2).
"""
import numpy as np

from .data import FIRST_TOKEN_INDEX, EncodedLog
from .evaluate import EvaluationSet


def _known(items: np.ndarray) -> np.ndarray:
    return items >= FIRST_TOKEN_INDEX


def item_counts(encoded: EncodedLog, train_rows: np.ndarray, num_items: int) -> np.ndarray:
    items = encoded.item[train_rows]
    items = items[_known(items)]
    return np.bincount(items - FIRST_TOKEN_INDEX, minlength=num_items - FIRST_TOKEN_INDEX).astype(np.float64)


def scene_item_counts(encoded: EncodedLog, train_rows: np.ndarray, num_items: int, num_scenes: int) -> np.ndarray:
    """[scene vocabulary index, candidate column] counts."""
    items, scenes = encoded.item[train_rows], encoded.scene[train_rows]
    known = _known(items)
    counts = np.zeros((num_scenes, num_items - FIRST_TOKEN_INDEX))
    np.add.at(counts, (scenes[known], items[known] - FIRST_TOKEN_INDEX), 1.0)
    return counts


def global_popularity(counts: np.ndarray):
    return lambda batch: np.broadcast_to(counts, (len(batch), len(counts)))


def scene_popularity(scene_counts: np.ndarray, evaluation: EvaluationSet):
    # Global counts as a tiny tie-breaker: a scene with few events still ranks.
    global_counts = scene_counts.sum(0)
    scores = scene_counts + global_counts / (global_counts.sum() + 1.0)
    return lambda batch: scores[evaluation.target_scene[batch]]


def decayed_popularity(encoded: EncodedLog, train_rows: np.ndarray, num_items: int,
                       evaluation: EvaluationSet, half_life_hours: float):
    """Score = sum over training events before the query time of 2^(-age / half-life).

    Ranking ignores a positive factor per query, so each event is weighted
    2^((t_event - t_last) / half-life) once and queries read running sums.
    """
    half_life_ms = half_life_hours * 3600_000.0
    order = np.argsort(encoded.timestamp_ms[train_rows], kind="stable")
    event_times = encoded.timestamp_ms[train_rows][order]
    event_items = encoded.item[train_rows][order]
    latest = max(event_times.max(initial=0), evaluation.query_time_ms.max(initial=0))
    weights = np.exp2((event_times - latest) / half_life_ms)
    queries = np.argsort(evaluation.query_time_ms, kind="stable")
    scores = np.zeros((len(queries), num_items - FIRST_TOKEN_INDEX))
    running = np.zeros(num_items - FIRST_TOKEN_INDEX)
    next_event = 0
    for query in queries:
        while next_event < len(event_times) and event_times[next_event] < evaluation.query_time_ms[query]:
            if event_items[next_event] >= FIRST_TOKEN_INDEX:
                running[event_items[next_event] - FIRST_TOKEN_INDEX] += weights[next_event]
            next_event += 1
        scores[query] = running
    return lambda batch: scores[batch]
