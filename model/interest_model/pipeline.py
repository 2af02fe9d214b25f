"""Data preparation shared by the commands: a log read, split, encoded; the popularity baselines; run folders."""
import logging
import os
from dataclasses import dataclass
from typing import Dict

import numpy as np

from . import baselines
from .config import Config
from .data import EventLog, Split, Vocabularies, build_vocabularies, encode_log, make_split, read_event_log
from .evaluate import EvaluationSet, make_evaluation_set
from .train import Dataset, make_dataset



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
