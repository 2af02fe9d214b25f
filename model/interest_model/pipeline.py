"""One benchmark run: split a log, fit baselines and models, evaluate all on the same test set."""
import json
import logging
import os
import time
from dataclasses import dataclass
from typing import Dict, Optional

import numpy as np
import torch

from . import baselines
from .config import SASREC_CHANGES, Config
from .data import EventLog, Split, Vocabularies, build_vocabularies, encode_log, make_split, read_event_log
from .evaluate import EvaluationSet, evaluate_scorer, make_evaluation_set
from .model import InterestModel
from .report import write_report
from .train import Dataset, make_dataset, model_scorer, train

log = logging.getLogger(__name__)
MODEL_NAME, SASREC_NAME = "interest model", "SASRec-style"


@dataclass
class Prepared:
    log: EventLog
    split: Split
    vocabularies: Vocabularies
    dataset: Dataset
    validation: EvaluationSet
    test: EvaluationSet

    @property
    def train_rows(self) -> np.ndarray:
        return np.concatenate(self.split.train_sequences)


def prepare(log_path: str, config: Config) -> Prepared:
    event_log = read_event_log(log_path)
    split = make_split(event_log, config)
    vocabularies = build_vocabularies(event_log, split)
    encoded = encode_log(event_log, vocabularies)
    return Prepared(event_log, split, vocabularies, make_dataset(encoded, split, vocabularies, config),
                    make_evaluation_set(event_log, encoded, split.validation),
                    make_evaluation_set(event_log, encoded, split.test))


def baseline_scorers(prepared: Prepared, config: Config, evaluation: EvaluationSet) -> Dict:
    """The three popularity baselines for an evaluation set, told the scene as config.protocol says."""
    encoded, num_items, rows = prepared.dataset.encoded, prepared.dataset.num_items, prepared.train_rows
    if config.protocol == "request_scene":
        context_scene = evaluation.target_scene
    else:
        context_scene = baselines.newest_history_scene(encoded, evaluation)
    return {
        "global popularity": baselines.global_popularity(encoded, num_items, rows, evaluation),
        "scene popularity": baselines.scene_popularity(encoded, num_items, rows, evaluation, context_scene,
                                                       prepared.dataset.num_scenes),
        f"decayed popularity ({config.popularity_half_life_hours:g} h)": baselines.decayed_popularity(
            encoded, num_items, evaluation, config.popularity_half_life_hours),
    }


def setup_run_folder(run_dir: str):
    os.makedirs(run_dir, exist_ok=True)
    handler = logging.FileHandler(os.path.join(run_dir, "log.txt"))
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
               for h in logging.getLogger().handlers):
        logging.getLogger().addHandler(logging.StreamHandler())


def save_model(model: InterestModel, prepared: Prepared, config: Config, path: str):
    torch.save({"config": config.to_dict(), "state": model.state_dict(),
                "items": prepared.vocabularies.items.tokens[2:],
                "scenes": prepared.vocabularies.scenes.tokens[2:]}, path)


def benchmark(log_path: str, config: Config, run_dir: str, with_sasrec: bool = True,
              planted_half_lives_hours: Optional[Dict[str, float]] = None):
    """Train the full-attention interest model the job serves today (and the SASRec-style baseline).

    Every method is told the request's scene (protocol request_scene): the
    scene read-out cannot score without it. Evaluates everything on test.

    Writes config.json, log.txt, metrics.json, report.md with plots and
    model.pt into run_dir; returns (metrics, trained interest model, prepared data).
    """
    if (config.architecture, config.protocol) != ("full_attention", "request_scene"):
        raise ValueError("benchmark trains the full-attention model under protocol=request_scene")
    setup_run_folder(run_dir)
    with open(os.path.join(run_dir, "config.json"), "w") as f:
        json.dump({"event_log": os.path.basename(log_path), **config.to_dict()}, f, indent=2)
    prepared = prepare(log_path, config)
    log.info("%d events, %d users, %d items, %d scenes, %d training windows, %d test examples (%d cold)",
             len(prepared.log), len(prepared.split.train_sequences), prepared.dataset.num_items - 2,
             len(prepared.dataset.scene_names), len(prepared.dataset.windows),
             len(prepared.test.target_columns), int(prepared.test.cold.sum()))
    results = {name: evaluate_scorer(scorer, prepared.test, prepared.dataset.scene_names)
               for name, scorer in baseline_scorers(prepared, config, prepared.test).items()}
    models = {MODEL_NAME: config}
    if with_sasrec:
        models[SASREC_NAME] = config.replace(**SASREC_CHANGES)
    trained = {}
    for name, model_config in models.items():
        started = time.monotonic()
        log.info("training %s", name)
        model, _ = train(model_config, prepared.dataset, prepared.validation)
        results[name] = evaluate_scorer(model_scorer(model, prepared.dataset, prepared.test),
                                        prepared.test, prepared.dataset.scene_names)
        results[name]["training_minutes"] = round((time.monotonic() - started) / 60, 2)
        trained[name] = model
    model = trained[MODEL_NAME]
    half_lives = model.half_lives_hours()
    metrics = {
        "event_log_sha256": prepared.log.sha256,
        "split": config.split,
        "results": results,
        "half_lives_hours": (dict(zip(prepared.dataset.scene_names, half_lives.tolist()))
                             if half_lives is not None else None),
    }
    with open(os.path.join(run_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    save_model(model, prepared, config, os.path.join(run_dir, "model.pt"))
    write_report(run_dir, f"Benchmark on {os.path.basename(log_path)}", metrics, planted_half_lives_hours)
    return metrics, model, prepared
