"""Next-event training across scenes with early stopping on validation NDCG@10."""
import copy
import logging
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .data import FIRST_TOKEN_INDEX, PAD_INDEX, EncodedLog, training_windows
from .evaluate import EvaluationSet, evaluate_scorer
from .model import InterestModel

log = logging.getLogger(__name__)


@dataclass
class Dataset:
    """What a training run needs, built once per run (see pipeline.prepare)."""
    encoded: EncodedLog
    windows: np.ndarray  # [W, L+1] event rows, -1 = padding
    num_items: int
    num_scenes: int
    num_event_types: int
    scene_names: list


def seed_everything(seed: int):
    np.random.seed(seed)
    torch.manual_seed(seed)


def window_tensors(encoded: EncodedLog, windows: np.ndarray):
    item, scene, event_type, time_ms = (torch.from_numpy(a) for a in encoded.gather(windows))
    return item, scene, event_type, time_ms


def reference_times_ms(config, encoded: EncodedLog, history_rows: np.ndarray, target_time_ms: np.ndarray):
    """The time each example's ages are measured from (config.age_reference)."""
    if config.age_reference == "next_event":
        return target_time_ms
    if config.age_reference == "current_event":
        return encoded.timestamp_ms[history_rows[:, -1]]  # left-padded: the newest event is last
    raise ValueError(f"unknown age_reference {config.age_reference!r}")


def history_tensors(encoded: EncodedLog, history_rows: np.ndarray, reference_time_ms: np.ndarray):
    """Model inputs for examples; ages in seconds relative to reference_time_ms."""
    item, scene, event_type, time_ms = encoded.gather(history_rows)
    age_seconds = np.where(item != PAD_INDEX, (reference_time_ms[:, None] - time_ms) / 1000.0, 0.0)
    return (torch.from_numpy(item), torch.from_numpy(scene), torch.from_numpy(event_type),
            torch.from_numpy(age_seconds.astype(np.float32)))


def model_scorer(model: InterestModel, dataset: Dataset, evaluation: EvaluationSet):
    """Scores for the target scene of each example, through the exported `predict`."""
    def score(batch):
        rows = evaluation.examples.history_rows[batch]
        reference = reference_times_ms(model.config, dataset.encoded, rows, evaluation.query_time_ms[batch])
        inputs = history_tensors(dataset.encoded, rows, reference)
        scene_axis = torch.from_numpy(evaluation.target_scene[batch] - FIRST_TOKEN_INDEX)
        with torch.no_grad():
            interests, _ = model.predict(*inputs)
            return model.item_scores(interests[torch.arange(len(batch)), scene_axis]).numpy()
    return score


def batch_loss(model: InterestModel, config, item, scene, event_type, time_ms):
    inputs = (item[:, :-1], scene[:, :-1], event_type[:, :-1], time_ms[:, :-1])
    target_item, target_scene = item[:, 1:], scene[:, 1:]
    reference_time = time_ms[:, 1:] if config.age_reference == "next_event" else time_ms[:, :-1]
    interests = model.forward_all_positions(*inputs, (target_scene - FIRST_TOKEN_INDEX).clamp(min=0), reference_time)
    # Targets are training items, so never unknown; padding targets carry no loss.
    has_target = target_item >= FIRST_TOKEN_INDEX
    interests, targets = interests[has_target], target_item[has_target] - FIRST_TOKEN_INDEX
    if config.loss == "full":
        return nn.functional.cross_entropy(model.item_scores(interests), targets)
    if config.loss == "sampled":
        candidates = model.item_embedding.weight.shape[0] - FIRST_TOKEN_INDEX
        negatives = torch.randint(candidates, (config.num_negatives,))
        negative_logits = interests @ model.item_embedding.weight[negatives + FIRST_TOKEN_INDEX].t()
        negative_logits = negative_logits.masked_fill(negatives.unsqueeze(0) == targets.unsqueeze(1), -1e9)
        positive_logits = (interests * model.item_embedding(targets + FIRST_TOKEN_INDEX)).sum(-1, keepdim=True)
        logits = torch.cat([positive_logits, negative_logits], dim=1)
        return nn.functional.cross_entropy(logits, torch.zeros(len(logits), dtype=torch.long))
    raise ValueError(f"unknown loss {config.loss!r}")


def make_optimizer(model: InterestModel, config) -> torch.optim.Optimizer:
    decay = [model.decay_raw] if model.decay_raw is not None else []
    others = [p for p in model.parameters() if not any(p is d for d in decay)]
    groups = [{"params": others}] + ([{"params": decay, "lr": config.decay_learning_rate, "weight_decay": 0.0}]
                                     if decay else [])
    return torch.optim.Adam(groups, lr=config.learning_rate, weight_decay=config.weight_decay)


def train(config, dataset: Dataset, validation: EvaluationSet) -> InterestModel:
    """Train until validation NDCG@10 stops improving; return the best model (eval mode)."""
    seed_everything(config.seed)
    torch.set_num_threads(config.threads)
    model = InterestModel(config, dataset.num_items, dataset.num_scenes, dataset.num_event_types)
    optimizer = make_optimizer(model, config)
    tensors = window_tensors(dataset.encoded, dataset.windows)
    best_ndcg, best_state, evaluations_without_gain = -1.0, None, 0
    started = time.monotonic()
    for epoch in range(1, config.epochs + 1):
        model.train()
        order = torch.randperm(len(dataset.windows))
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            batch = order[start:start + config.batch_size]
            loss = batch_loss(model, config, *(t[batch] for t in tensors))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        minutes = (time.monotonic() - started) / 60
        out_of_time = minutes > config.max_minutes
        if epoch % config.eval_every and not out_of_time and epoch != config.epochs:
            log.info("epoch %d loss %.4f (%.1f min)", epoch, total / len(order), minutes)
            continue
        model.eval()
        ndcg = evaluate_scorer(model_scorer(model, dataset, validation), validation,
                               dataset.scene_names)["overall"]["NDCG@10"]
        half_lives = model.half_lives_hours()
        log.info("epoch %d loss %.4f validation NDCG@10 %.4f (%.1f min)%s", epoch, total / len(order), ndcg, minutes,
                 "" if half_lives is None else " half-lives h " + " ".join(f"{h:.3g}" for h in half_lives.tolist()))
        if ndcg > best_ndcg:
            best_ndcg, best_state, evaluations_without_gain = ndcg, copy.deepcopy(model.state_dict()), 0
        else:
            evaluations_without_gain += 1
        if evaluations_without_gain >= config.patience or out_of_time:
            log.info("stopping after epoch %d%s", epoch, " (time cap)" if out_of_time else "")
            break
    model.load_state_dict(best_state)
    model.eval()
    return model


def make_dataset(encoded: EncodedLog, split, vocabularies, config) -> Dataset:
    return Dataset(encoded, training_windows(split.train_sequences, config.history_length),
                   len(vocabularies.items), len(vocabularies.scenes), len(vocabularies.event_types),
                   vocabularies.scene_names)
