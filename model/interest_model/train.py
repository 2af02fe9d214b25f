"""Next-event training across scenes with early stopping on validation NDCG@10."""
import copy
import logging
import time
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch
from torch import nn

from .data import FIRST_TOKEN_INDEX, PAD_INDEX, EncodedLog, left_padded, training_windows
from .evaluate import EvaluationSet, evaluate_scorer
from .live_popularity import LivePopularity
from .model import InterestModel
from .streaming_model import StreamingInterestModel

log = logging.getLogger(__name__)


@dataclass
class Dataset:
    """What a training run needs, built once per run (see make_dataset)."""
    encoded: EncodedLog
    windows: np.ndarray  # [W, context+L+1] event rows, -1 = padding
    num_items: int
    num_scenes: int
    num_event_types: int
    scene_names: list
    # The streaming model's popularity input; None when it does not blend.
    popularity: Optional[LivePopularity]


def seed_everything(seed: int):
    np.random.seed(seed)
    torch.manual_seed(seed)


def build_model(config, dataset: Dataset):
    if config.architecture == "streaming":
        return StreamingInterestModel(config, dataset.num_items, dataset.num_scenes, dataset.num_event_types)
    if config.architecture == "full_attention":
        return InterestModel(config, dataset.num_items, dataset.num_scenes, dataset.num_event_types)
    raise ValueError(f"unknown architecture {config.architecture!r}")


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


def scene_axis_told(config, evaluation: EvaluationSet, batch) -> Optional[torch.Tensor]:
    """The request scene (scene-axis index) each example may use, or None under scene_blind."""
    if config.protocol == "request_scene":
        return torch.from_numpy(evaluation.target_scene[batch] - FIRST_TOKEN_INDEX)
    if config.protocol == "scene_blind":
        return None
    raise ValueError(f"unknown protocol {config.protocol!r}")


def full_attention_scorer(model: InterestModel, dataset: Dataset, evaluation: EvaluationSet):
    """Scores through the exported `predict`, for the scene the protocol tells (row 0 when blind)."""
    if model.config.protocol == "scene_blind" and model.config.readout != "last":
        raise ValueError("the scene read-out needs the target scene: use protocol=request_scene")

    def score(batch):
        rows = evaluation.examples.history_rows[batch]
        reference = reference_times_ms(model.config, dataset.encoded, rows, evaluation.query_time_ms[batch])
        inputs = history_tensors(dataset.encoded, rows, reference)
        told = scene_axis_told(model.config, evaluation, batch)
        scene_axis = torch.zeros(len(batch), dtype=torch.long) if told is None else told
        with torch.no_grad():
            interests, _ = model.predict(*inputs)
            return model.item_scores(interests[torch.arange(len(batch)), scene_axis]).numpy()
    return score


def streaming_scorer(model: StreamingInterestModel, dataset: Dataset, evaluation: EvaluationSet):
    """Read-out at each example's newest input event, requested at the example's time; the
    scene-blind query unless the scene is told."""
    config = model.config
    span = config.history_length + config.encoder_window

    def score(batch):
        rows = np.stack([left_padded(evaluation.examples.seen_rows[e], span) for e in batch])
        item, scene, event_type, time_ms = (torch.from_numpy(a) for a in dataset.encoded.gather(rows))
        told = scene_axis_told(config, evaluation, batch)
        query = torch.full((len(batch),), model.blind_query) if told is None else told
        request_time = torch.from_numpy(evaluation.query_time_ms[batch])
        with torch.no_grad():
            interests, _, weight, _ = model.read_out_newest(item, scene, event_type, time_ms, query.unsqueeze(1),
                                                            request_time)
            scores = model.item_scores(interests[:, 0])
            if dataset.popularity is not None:
                scores = scores + weight * torch.from_numpy(dataset.popularity.at(evaluation.query_time_ms[batch]))
            return scores.numpy()
    return score


def model_scorer(model, dataset: Dataset, evaluation: EvaluationSet):
    if isinstance(model, StreamingInterestModel):
        return streaming_scorer(model, dataset, evaluation)
    return full_attention_scorer(model, dataset, evaluation)


def next_item_loss(model, config, interests, targets, bias=None):
    """Cross-entropy of target columns [N] given interests [N,d].

    bias(columns) adds to the logits of candidate columns, given as [N,1]
    (one per row), [1,K] (the same for every row) or None (every item): it
    is the popularity blend. The sampled loss shares its negatives across
    the batch, so its logits are one [N,d] x [d,K] product.
    """
    items = model.item_embedding.weight[FIRST_TOKEN_INDEX:]
    if config.loss == "full":
        logits = interests @ items.t()
        if bias is not None:
            logits = logits + bias(None)
        return nn.functional.cross_entropy(logits, targets)
    if config.loss == "sampled":
        negatives = torch.randint(len(items), (config.num_negatives,))
        positive = (interests * items[targets]).sum(-1, keepdim=True)
        negative = interests @ items[negatives].t()
        if bias is not None:
            positive = positive + bias(targets.unsqueeze(1))
            negative = negative + bias(negatives.unsqueeze(0))
        # A negative that is the target is an accidental hit, not a negative.
        negative = negative.masked_fill(negatives.unsqueeze(0) == targets.unsqueeze(1), -1e9)
        logits = torch.cat([positive, negative], dim=1)
        return nn.functional.cross_entropy(logits, torch.zeros(len(logits), dtype=torch.long))
    raise ValueError(f"unknown loss {config.loss!r}")


def full_attention_loss(model: InterestModel, config, dataset: Dataset, item, scene, event_type, time_ms):
    inputs = (item[:, :-1], scene[:, :-1], event_type[:, :-1], time_ms[:, :-1])
    target_item, target_scene = item[:, 1:], scene[:, 1:]
    reference_time = time_ms[:, 1:] if config.age_reference == "next_event" else time_ms[:, :-1]
    interests = model.forward_all_positions(*inputs, (target_scene - FIRST_TOKEN_INDEX).clamp(min=0), reference_time)
    # Targets are training items, so never unknown; padding targets carry no loss.
    has_target = target_item >= FIRST_TOKEN_INDEX
    return next_item_loss(model, config, interests[has_target], target_item[has_target] - FIRST_TOKEN_INDEX)


def streaming_loss(model: StreamingInterestModel, config, dataset: Dataset, item, scene, event_type, time_ms):
    """Next-item loss of the target-scene read-out (weight config.scene_loss_weight) plus that of the
    scene-blind read-out, which is always trained. Each prediction is requested at its target's time.

    The protocol decides which one validation and test score. The first
    encoder_window inputs are context for the encoder, not prediction points.
    """
    inputs = (item[:, :-1], scene[:, :-1], event_type[:, :-1], time_ms[:, :-1])
    target_item, target_scene, target_time = item[:, 1:], scene[:, 1:], time_ms[:, 1:]
    has_target = target_item >= FIRST_TOKEN_INDEX
    has_target[:, :config.encoder_window] = False
    targets = target_item[has_target] - FIRST_TOKEN_INDEX
    if dataset.popularity is not None:
        # Rows of the snapshot table, gathered per candidate column only when needed: a full
        # [targets x items] matrix would be gigabytes for a large catalogue.
        table = torch.from_numpy(dataset.popularity.log_shares)
        snapshot = torch.from_numpy(dataset.popularity.snapshot_index(target_time[has_target].numpy())).unsqueeze(1)
    loss = 0.0
    scene_axis = (target_scene - FIRST_TOKEN_INDEX).clamp(min=0)
    scene_loss_weight = config.effective_scene_loss_weight()
    read_outs = ((scene_axis, scene_loss_weight), (torch.full_like(scene_axis, model.blind_query), 1.0))
    for query, loss_weight in read_outs:
        if loss_weight == 0:
            continue
        interests, popularity_weight = model.forward_sequence(*inputs, query, target_time)
        bias = None
        if dataset.popularity is not None:
            chosen_weight = popularity_weight[has_target].unsqueeze(1)

            def bias(columns, chosen_weight=chosen_weight):
                shares = table[snapshot.squeeze(1)] if columns is None else table[snapshot, columns]
                return chosen_weight * shares
        loss = loss + loss_weight * next_item_loss(model, config, interests[has_target], targets, bias)
    return loss


def batch_loss(model, config, dataset: Dataset, *tensors):
    if isinstance(model, StreamingInterestModel):
        return streaming_loss(model, config, dataset, *tensors)
    return full_attention_loss(model, config, dataset, *tensors)


def make_optimizer(model, config) -> torch.optim.Optimizer:
    decay = [model.decay_raw] if model.decay_raw is not None else []
    others = [p for p in model.parameters() if not any(p is d for d in decay)]
    groups = [{"params": others}] + ([{"params": decay, "lr": config.decay_learning_rate, "weight_decay": 0.0}]
                                     if decay else [])
    return torch.optim.Adam(groups, lr=config.learning_rate, weight_decay=config.weight_decay)


def train(config, dataset: Dataset, validation: EvaluationSet):
    """Train for at most config.epochs, keeping the weights with the best validation NDCG@10.

    Validation is scored under config.protocol, as test will be; training
    stops after `patience` evaluations without a gain (or at the optional
    wall-clock cap, which reported figures never use). Returns the model in
    eval mode and its validation NDCG@10.
    """
    seed_everything(config.seed)
    torch.set_num_threads(config.threads)
    model = build_model(config, dataset)
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
            loss = batch_loss(model, config, dataset, *(t[batch] for t in tensors))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        out_of_time = config.max_minutes is not None and (time.monotonic() - started) / 60 > config.max_minutes
        if epoch % config.eval_every and epoch != config.epochs and not out_of_time:
            log.info("epoch %d loss %.4f", epoch, total / len(order))
            continue
        model.eval()
        ndcg = evaluate_scorer(model_scorer(model, dataset, validation), validation,
                               dataset.scene_names)["overall"]["NDCG@10"]
        half_lives = model.half_lives_hours()
        log.info("epoch %d loss %.4f validation NDCG@10 %.4f%s", epoch, total / len(order), ndcg,
                 "" if half_lives is None else " half-lives h " + " ".join(f"{h:.3g}" for h in half_lives.tolist()))
        if ndcg > best_ndcg:
            best_ndcg, best_state, evaluations_without_gain = ndcg, copy.deepcopy(model.state_dict()), 0
        else:
            evaluations_without_gain += 1
        if evaluations_without_gain >= config.patience or out_of_time:
            log.info("stopping after epoch %d%s", epoch, " (wall-clock cap)" if out_of_time else "")
            break
    model.load_state_dict(best_state)
    model.eval()
    return model, best_ndcg


def make_dataset(encoded: EncodedLog, split, vocabularies, config) -> Dataset:
    streaming = config.architecture == "streaming"
    context = config.encoder_window if streaming else 0
    # Every training target, validation and test example is an event of the log, requested at its time.
    popularity = (LivePopularity(encoded, len(vocabularies.items), config.popularity_rule(), encoded.timestamp_ms[:-1])
                  if streaming and config.use_popularity_blend else None)
    return Dataset(encoded, training_windows(split.train_sequences, config.history_length, context),
                   len(vocabularies.items), len(vocabularies.scenes), len(vocabularies.event_types),
                   vocabularies.scene_names, popularity)
