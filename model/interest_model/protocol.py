"""The evaluation protocol: every method with the same information, split, seeds and tuning budget.

One run is one event log x one split x one protocol (config.split,
config.protocol). For each neural method a small grid of settings, of the
same size for every method (the same grid unless a method is given its own,
such as the streaming model's blend prior instead of a learning rate), is
tried on the first seed and the one with the best validation NDCG@10 is
kept (validation is scored under the run's protocol); that setting is then
trained with every seed, and each seed's model reads test once. Training is
bounded by epochs only. The popularity baselines have nothing to tune or
seed and are evaluated once.
"""
import itertools
import json
import logging
import os
from typing import Dict, List

import numpy as np

from .config import SASREC_CHANGES, SASREC_SIDE_FEATURE_CHANGES, Config, parse_overrides
from .evaluate import evaluate_scorer
from .pipeline import baseline_scorers, prepare, setup_run_folder
from .train import make_dataset, model_scorer, train

log = logging.getLogger(__name__)
STREAMING_NAME = "streaming model"
NEURAL_METHODS = {
    "SASRec-style": SASREC_CHANGES,
    "SASRec-style + side features": SASREC_SIDE_FEATURE_CHANGES,
    STREAMING_NAME: {},
}
REPORTED = (("NDCG@10", "overall"), ("HR@10", "overall"), ("MRR", "overall"), ("NDCG@10", "cold_scene"))


def parse_grid(assignments: List[str]) -> List[List[str]]:
    """`key=v1,v2` strings -> every combination as `key=value` lists (one empty list without a grid)."""
    axes = [[f"{key}={value}" for value in values.split(",")]
            for key, _, values in (a.partition("=") for a in assignments or [])]
    return [list(combination) for combination in itertools.product(*axes)]


def method_grids(grid: List[List[str]], own: Dict[str, List[List[str]]], methods: List[str]) -> Dict:
    """Each method's grid: its own where given, else the shared one; refused unless all are the same size."""
    grids = {name: own.get(name, grid) for name in methods}
    unknown = set(own) - set(methods)
    if unknown:
        raise ValueError(f"grids for methods not run: {sorted(unknown)}")
    if len({len(g) for g in grids.values()}) > 1:
        raise ValueError("every method gets the same tuning budget: "
                         + ", ".join(f"{name} {len(g)} settings" for name, g in grids.items()))
    return grids


def run_protocol(log_path: str, config: Config, seeds: List[int], grid: List[List[str]],
                 methods: List[str], run_dir: str, own_grids: Dict[str, List[List[str]]] = None) -> Dict:
    """Evaluate the popularity baselines and `methods`; write results.json and summary.md to run_dir."""
    grids = method_grids(grid, own_grids or {}, methods)
    setup_run_folder(run_dir)
    prepared = prepare(log_path, config)
    test = prepared.test
    data = {"event_log_sha256": prepared.log.sha256, "split": config.split, "protocol": config.protocol,
            "seeds": seeds, "grids": grids, "config": config.to_dict(),
            "test_examples": int(len(test.target_columns)), "cold_test_examples": int(test.cold.sum()),
            "users": len(prepared.split.train_sequences), "items": prepared.dataset.num_items - 2}
    log.info("%s", {k: v for k, v in data.items() if k != "config"})
    scene_names = prepared.dataset.scene_names
    results = {}
    for name, scorer in baseline_scorers(prepared, config, test).items():
        results[name] = {"settings": [], "runs": [{"test": evaluate_scorer(scorer, test, scene_names)}]}
    for name in methods:
        base = config.replace(**NEURAL_METHODS[name])
        dataset = make_dataset(prepared.dataset.encoded, prepared.split, prepared.vocabularies, base)
        candidates = []
        for settings in grids[name]:
            model, validation_ndcg = train(parse_overrides(base, settings).replace(seed=seeds[0]), dataset,
                                           prepared.validation)
            log.info("%s %s seed %d: validation NDCG@10 %.4f", name, settings, seeds[0], validation_ndcg)
            candidates.append((validation_ndcg, settings, model))
        best_ndcg, settings, model = max(candidates, key=lambda c: c[0])
        tuning = [{"settings": s, "validation_NDCG@10": v} for v, s, _ in candidates]
        runs = []
        for seed in seeds:
            if seed != seeds[0]:
                model, best_ndcg = train(parse_overrides(base, settings).replace(seed=seed), dataset,
                                         prepared.validation)
            run = {"seed": seed, "validation_NDCG@10": best_ndcg,
                   "test": evaluate_scorer(model_scorer(model, dataset, test), test, scene_names)}
            half_lives = model.half_lives_hours()
            if half_lives is not None:
                run["half_lives_hours"] = dict(zip(scene_names + ["(scene-blind)"], half_lives.tolist()))
            log.info("%s seed %d: test NDCG@10 %.4f", name, seed, run["test"]["overall"]["NDCG@10"])
            runs.append(run)
        results[name] = {"settings": settings, "tuning": tuning, "runs": runs}
    data["results"] = results
    with open(os.path.join(run_dir, "results.json"), "w") as f:
        json.dump(data, f, indent=1)
    with open(os.path.join(run_dir, "summary.md"), "w") as f:
        f.write(summary_table(data) + "\n")
    return data


def mean_and_spread(values: List[float]) -> str:
    """`mean ± sample standard deviation` (just the value for one run; "-" for an empty group)."""
    if any(np.isnan(values)):
        return "-"
    if len(values) == 1:
        return f"{values[0]:.4f}"
    return f"{np.mean(values):.4f} ± {np.std(values, ddof=1):.4f}"


def summary_table(data: Dict) -> str:
    header = " | ".join(f"{metric}" + (" cold" if group == "cold_scene" else "") for metric, group in REPORTED)
    lines = [f"split `{data['split']}`, protocol `{data['protocol']}`, seeds {data['seeds']}, "
             f"{data['test_examples']} test examples ({data['cold_test_examples']} cross-scene cold)", "",
             f"| method | {header} | settings |", "|---" * (len(REPORTED) + 2) + "|"]
    for method, result in data["results"].items():
        cells = [mean_and_spread([run["test"][group][metric] for run in result["runs"]])
                 for metric, group in REPORTED]
        lines.append(f"| {method} | " + " | ".join(cells) + f" | {' '.join(result['settings']) or '-'} |")
    for method, result in data["results"].items():
        half_lives = [run["half_lives_hours"] for run in result["runs"] if "half_lives_hours" in run]
        if half_lives:
            means = ", ".join(f"{query} {np.mean([h[query] for h in half_lives]):.3g}" for query in half_lives[0])
            lines += ["", f"{method}, learned half-lives (hours, mean over seeds): {means}"]
    return "\n".join(lines)
