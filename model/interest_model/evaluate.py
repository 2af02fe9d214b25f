"""Full-ranking evaluation: HR@10, NDCG@10 and MRR over all known items.

Protocol (model/README.md): every known item is a candidate; items in the user's
history before the target are excluded, the target itself is kept. A target
item that training never saw cannot be ranked and counts as a miss. Ties
are counted as if broken at random: half of the items tied with the target
rank ahead of it.
"""
from dataclasses import dataclass
from typing import Callable, Dict, List

import numpy as np

from .data import FIRST_TOKEN_INDEX, EncodedLog, EventLog, Examples, cold_scene_flags

CUTOFF = 10
METRIC_NAMES = ("HR@10", "NDCG@10", "MRR")


def target_ranks(scores: np.ndarray, target_columns: np.ndarray, excluded: List[np.ndarray]) -> np.ndarray:
    """0-based rank of each target among non-excluded candidates.

    scores [E, C] over candidate columns; target_columns [E], -1 = unrankable
    target (rank = inf); excluded[e]: candidate columns to drop (the target is
    kept even if listed).
    """
    ranks = np.full(len(target_columns), np.inf)
    for e, (row, target) in enumerate(zip(scores, target_columns)):
        if target < 0:
            continue
        keep = np.ones(len(row), dtype=bool)
        keep[excluded[e]] = False
        keep[target] = False
        target_score = row[target]
        candidates = row[keep]
        ranks[e] = np.sum(candidates > target_score) + np.sum(candidates == target_score) // 2
    return ranks


def metrics_from_ranks(ranks: np.ndarray) -> Dict[str, float]:
    if len(ranks) == 0:
        return {name: float("nan") for name in METRIC_NAMES} | {"n": 0}
    hit = ranks < CUTOFF
    ndcg = np.where(hit, 1.0 / np.log2(np.where(hit, ranks, 0) + 2.0), 0.0)
    return {"HR@10": float(hit.mean()), "NDCG@10": float(ndcg.mean()),
            "MRR": float(np.mean(1.0 / (ranks + 1.0))), "n": int(len(ranks))}


@dataclass
class EvaluationSet:
    """Examples with everything a scorer needs, as candidate-column arrays."""
    examples: Examples
    target_columns: np.ndarray   # [E], -1 when the target item is unknown
    target_scene: np.ndarray     # [E] scene vocabulary index
    excluded_columns: List[np.ndarray]
    cold: np.ndarray             # [E] bool: cross-scene cold case
    query_time_ms: np.ndarray    # [E]


def make_evaluation_set(log: EventLog, encoded: EncodedLog, examples: Examples) -> EvaluationSet:
    target_items = encoded.item[examples.target_rows]
    target_columns = np.where(target_items >= FIRST_TOKEN_INDEX, target_items - FIRST_TOKEN_INDEX, -1)
    excluded = []
    for seen in examples.seen_rows:
        items = encoded.item[seen]
        excluded.append(np.unique(items[items >= FIRST_TOKEN_INDEX]) - FIRST_TOKEN_INDEX)
    return EvaluationSet(examples, target_columns, encoded.scene[examples.target_rows], excluded,
                         cold_scene_flags(log, examples), encoded.timestamp_ms[examples.target_rows])


def evaluate_scorer(score: Callable[[np.ndarray], np.ndarray], evaluation: EvaluationSet,
                    scene_names: List[str], batch_size: int = 256) -> Dict[str, Dict[str, float]]:
    """score(example indices) -> [batch, candidates]; returns metrics overall, per scene, cold."""
    ranks = np.concatenate([
        target_ranks(score(batch), evaluation.target_columns[batch],
                     [evaluation.excluded_columns[i] for i in batch])
        for batch in np.array_split(np.arange(len(evaluation.target_columns)),
                                    max(1, int(np.ceil(len(evaluation.target_columns) / batch_size))))])
    report = {"overall": metrics_from_ranks(ranks), "cold_scene": metrics_from_ranks(ranks[evaluation.cold])}
    for axis, name in enumerate(scene_names):
        report[f"scene:{name}"] = metrics_from_ranks(ranks[evaluation.target_scene == axis + FIRST_TOKEN_INDEX])
    return report
