"""Hyperparameter defaults for every run, in one place.

A run stores the resolved values in its run folder (config.json), so any
number in a report can be traced back to the settings that produced it.
"""
import dataclasses
from dataclasses import dataclass, field
from typing import Dict, Optional

from .live_popularity import PopularityRule


@dataclass
class Config:
    # --- data -------------------------------------------------------------
    # L: how many past events the model sees. Fixed in the ONNX export, the
    # Java job keeps exactly this many events per user.
    history_length: int = 50
    # "leave_one_out": per user, last event = test, second-last = validation.
    # "time": a global time split, the same cut for every user: train before
    # validation_time_ms, validate on each user's first event before
    # split_time_ms, test on each user's first event at or after it.
    split: str = "leave_one_out"
    # Only for split="time"; None = the 80% and 90% quantiles of all timestamps.
    validation_time_ms: Optional[int] = None
    split_time_ms: Optional[int] = None
    # Orders a user's events that share a timestamp (data.user_histories).
    tie_break_seed: int = 0
    # What every method is told at prediction time, the same way for all.
    # "scene_blind": nobody knows the target event's scene (MovieLens and
    # Taobao, whose scenes are item properties). "request_scene": the scene
    # of the request is known to every method (the synthetic log, whose
    # scenes are surfaces that share items).
    protocol: str = "scene_blind"

    # --- model architecture -----------------------------------------------
    # "streaming": the band-causal model with a per-event cache
    # (streaming_model.py). "full_attention": the full-recompute model of
    # model.py, which with SASREC_CHANGES is the SASRec-style baseline.
    architecture: str = "streaming"

    # --- model ------------------------------------------------------------
    dim: int = 48
    # Causal self-attention blocks before the scene read-out (0 to 2).
    num_blocks: int = 1
    num_heads: int = 1
    dropout: float = 0.2
    # Learned position embeddings (SASRec's only sense of order). Off by
    # default: the interest model orders events by age through the decay.
    use_positions: bool = False
    # Add the encoder's last state to each scene read-out. Off, every interest
    # vector comes from the decayed attention alone, which keeps the recency
    # the decay rates learn from being absorbed elsewhere.
    readout_residual: bool = True
    # Input features. Switching all of these and the decay off, with
    # readout="last", gives the plain SASRec-style baseline.
    use_scenes: bool = True
    use_event_types: bool = True
    # Log-spaced buckets of each past event's age, added to the read-out's
    # keys and values: bucket = floor(log2(1 + age_minutes)), capped. Off by
    # default: on the synthetic log it trained slower and scored lower at the
    # same time budget (model/README.md, "What was tried").
    use_age_buckets: bool = False
    num_age_buckets: int = 20
    # Per-scene exponential decay of attention logits: logit -= rate_s * age_hours.
    use_decay: bool = True
    # What an event's age is measured from. "current_event": the newest event
    # in the input, which is what the Flink job has when it recomputes on
    # every event (the newest event has age 0). "next_event": the time of the
    # predicted event, for serving at request time.
    age_reference: str = "current_event"
    # Half-life every scene starts from before training (hours).
    initial_half_life_hours: float = 24.0
    # "scene_attention": one learned query per target scene attends over the
    # history. "last": the last position's hidden state (SASRec).
    readout: str = "scene_attention"

    # --- training ---------------------------------------------------------
    # "full": softmax over every item, the exact objective that full-ranking
    # evaluation measures; affordable up to a few 10k items. "sampled": uniform
    # shared negatives, for larger catalogues.
    loss: str = "full"
    num_negatives: int = 1024
    epochs: int = 200
    batch_size: int = 128
    learning_rate: float = 2e-3
    # The per-scene decay parameters get their own, larger step: with the
    # shared 1e-3 they move too little in a few hundred steps to travel from
    # the initial half-life to minutes or weeks.
    decay_learning_rate: float = 0.05
    weight_decay: float = 0.0
    # Evaluate on validation every this many epochs; stop after `patience`
    # evaluations without a better NDCG@10 and keep the best weights.
    eval_every: int = 2
    patience: int = 4
    # Optional wall-clock cap per training run in minutes; None: epochs only.
    # Reported figures never use one: they must not depend on machine load.
    max_minutes: Optional[float] = None
    seed: int = 42
    threads: int = 1

    # --- streaming model ----------------------------------------------------
    # W: each event's encoder attends to itself and at most the W events
    # before it, so its state is fixed once it arrives.
    encoder_window: int = 16
    # r: the width of the one vector cached per past event, which the
    # read-outs use as both key and value. The read-outs' work per cached
    # event is 2 * r * (scenes + 1) multiply-adds, so r decides how cost
    # grows with L.
    cache_dim: int = 16
    # Hidden width of the encoder's feed-forward layer, as a multiple of dim.
    feed_forward_multiple: int = 2
    # Blend every score with the log of time-decayed item popularity, with a
    # learned weight per user and scene (never worse than popularity when the
    # sequence says little).
    use_popularity_blend: bool = True
    # Initial change of the popularity weight's pre-activation per unit of log(1 + days from the
    # user's newest event to the request): > 0 starts the blend leaning on popularity for users who
    # come back after days, which few training requests show.
    staleness_prior: float = 0.0
    # Weight of the target-scene read-outs' loss beside the scene-blind
    # read-out's (weight 1). None: 1 under request_scene, 0 under scene_blind,
    # where the scene read-outs are never scored: on MovieLens, training them
    # too lowered the scene-blind read-out's validation NDCG@10 from 0.115 to
    # 0.103 (model/README.md, "What was tried").
    scene_loss_weight: Optional[float] = None
    # Live popularity (live_popularity.py), which the blend reads and the job computes from its
    # stream: weights are published every this many minutes of event time, with the
    # half-life of popularity_half_life_hours ...
    popularity_snapshot_minutes: int = 15
    # ... an item whose weight decays below this leaves the table (bounded memory) ...
    popularity_min_weight: float = 0.01
    # ... and a request reads the snapshot of this long before it: the job's watermark lags its
    # newest event by its allowed lateness (10 min by default), so with this delay the snapshot is
    # there when a request arrives instead of the request waiting for it.
    popularity_delay_minutes: int = 10

    # --- baselines --------------------------------------------------------
    # Half-life of the exponentially time-decayed popularity baseline.
    popularity_half_life_hours: float = 7 * 24.0
    # Items per scene in the exported cold-start popularity lists.
    popularity_top_k: int = 100

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **changes)

    def popularity_rule(self) -> PopularityRule:
        return PopularityRule(self.popularity_half_life_hours, self.popularity_snapshot_minutes * 60_000,
                              self.popularity_min_weight, self.popularity_delay_minutes * 60_000)

    def effective_scene_loss_weight(self) -> float:
        if self.scene_loss_weight is not None:
            return self.scene_loss_weight
        return 1.0 if self.protocol == "request_scene" else 0.0

    def to_dict(self) -> Dict:
        return dataclasses.asdict(self)


# The plain SASRec-style model: the full-recompute code with no scenes, no
# event types, no time features, last hidden state as the user vector.
SASREC_CHANGES = dict(architecture="full_attention", use_positions=True, use_scenes=False,
                      use_event_types=False, use_age_buckets=False, use_decay=False, readout="last")
# The same with the side features the streaming model reads from each event
# (scene and event type), as an ablation of what the features alone give.
SASREC_SIDE_FEATURE_CHANGES = dict(SASREC_CHANGES, use_scenes=True, use_event_types=True)
# The full-recompute interest model with its scene read-outs (the model the


def parse_overrides(config: Config, assignments) -> Config:
    """Apply `key=value` strings from the command line, typed like the settings."""
    changes = {}
    fields = {f.name: f for f in dataclasses.fields(Config)}
    for assignment in assignments or []:
        key, _, text = assignment.partition("=")
        if key not in fields:
            raise ValueError(f"unknown setting {key!r}")
        current = getattr(config, key)
        # Optional[X] settings take "none" or an X.
        optional_type = [t for t in getattr(fields[key].type, "__args__", ()) if t is not type(None)]
        if optional_type and text.lower() == "none":
            value = None
        elif optional_type:
            value = optional_type[0](text)
        elif isinstance(current, bool):
            value = text.lower() in ("1", "true", "yes")
        else:
            value = type(current)(text)
        changes[key] = value
    return config.replace(**changes)
