"""The interest model: a causal event encoder and a per-scene decayed attention read-out.

Ages are in seconds at the interface (as the Java job has them) and in hours
inside the decay, so the learned rates are per hour.
"""
import math

import torch
from torch import nn

from .data import FIRST_TOKEN_INDEX, PAD_INDEX
from .decay import LearnedDecay, initial_decay

SECONDS_PER_HOUR = 3600.0
# A large negative instead of -inf keeps fully padded rows finite (no NaN).
MASKED_LOGIT = -1e9


class CausalSelfAttentionBlock(nn.Module):
    """Pre-norm transformer block; position t attends to positions <= t."""

    def __init__(self, dim: int, num_heads: int, dropout: float):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.norm_attention = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.norm_feed_forward = nn.LayerNorm(dim)
        self.feed_forward = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.Dropout(dropout),
                                          nn.Linear(dim, dim))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, allowed):
        """x [B,L,d]; allowed [B,L,L] bool (query, key)."""
        batch, length, dim = x.shape
        head_dim = self.head_dim
        q, k, v = self.qkv(self.norm_attention(x)).chunk(3, dim=-1)

        def heads(t):
            return t.reshape(batch, length, self.num_heads, head_dim).transpose(1, 2)
        logits = heads(q) @ heads(k).transpose(-1, -2) / math.sqrt(head_dim)
        logits = logits.masked_fill(~allowed.unsqueeze(1), MASKED_LOGIT)
        mixed = (self.dropout(logits.softmax(-1)) @ heads(v)).transpose(1, 2).reshape(batch, length, dim)
        x = x + self.dropout(self.out(mixed))
        return x + self.dropout(self.feed_forward(self.norm_feed_forward(x)))


class InterestModel(nn.Module, LearnedDecay):
    def __init__(self, config, num_items: int, num_scenes: int, num_event_types: int):
        """num_*: vocabulary sizes including padding and unknown."""
        super().__init__()
        self.config = config
        dim, length = config.dim, config.history_length
        self.num_output_scenes = num_scenes - FIRST_TOKEN_INDEX
        self.item_embedding = nn.Embedding(num_items, dim, padding_idx=PAD_INDEX)
        self.position_embedding = nn.Embedding(length, dim) if config.use_positions else None
        self.scene_embedding = nn.Embedding(num_scenes, dim, padding_idx=PAD_INDEX) if config.use_scenes else None
        self.event_type_embedding = (nn.Embedding(num_event_types, dim, padding_idx=PAD_INDEX)
                                     if config.use_event_types else None)
        self.input_dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(CausalSelfAttentionBlock(dim, config.num_heads, config.dropout)
                                    for _ in range(config.num_blocks))
        self.final_norm = nn.LayerNorm(dim)
        self.age_bucket_embedding, self.decay_raw = None, None
        if config.readout == "scene_attention":
            self.scene_query = nn.Parameter(torch.randn(self.num_output_scenes, dim) * 0.02)
            self.query_from_state = nn.Linear(dim, dim)
            self.readout_key = nn.Linear(dim, dim)
            self.readout_value = nn.Linear(dim, dim)
            self.readout_norm = nn.LayerNorm(dim)
            if config.use_age_buckets:
                self.age_bucket_embedding = nn.Embedding(config.num_age_buckets, dim)
            if config.use_decay:
                self.decay_raw = initial_decay(self.num_output_scenes, config.initial_half_life_hours)
        elif config.readout != "last":
            raise ValueError(f"unknown readout {config.readout!r}")
        # With readout="last" under the request-scene protocol, the request's
        # scene is told to the model the way the scene read-out is told it: a
        # learned vector per scene, added to the user vector.
        self.request_scene_embedding = (nn.Embedding(self.num_output_scenes, dim)
                                        if config.readout == "last" and config.protocol == "request_scene" else None)
        nn.init.normal_(self.item_embedding.weight, std=dim ** -0.5)
        with torch.no_grad():
            self.item_embedding.weight[PAD_INDEX].zero_()

    # --- encoder -------------------------------------------------------------
    def encode(self, item, scene, event_type):
        """Inputs [B,L] int64, left-padded -> hidden states [B,L,d], padding mask [B,L]."""
        length = item.shape[1]
        present = item != PAD_INDEX
        x = self.item_embedding(item) * math.sqrt(self.config.dim)
        if self.position_embedding is not None:
            x = x + self.position_embedding.weight[:length].unsqueeze(0)
        if self.scene_embedding is not None:
            x = x + self.scene_embedding(scene)
        if self.event_type_embedding is not None:
            x = x + self.event_type_embedding(event_type)
        x = self.input_dropout(x) * present.unsqueeze(-1)
        causal = torch.ones(length, length, dtype=torch.bool, device=item.device).tril()
        allowed = causal.unsqueeze(0) & present.unsqueeze(1)
        for block in self.blocks:
            x = block(x, allowed) * present.unsqueeze(-1)
        return self.final_norm(x), present

    # --- read-out ------------------------------------------------------------
    def age_buckets(self, age_seconds):
        minutes = age_seconds.clamp(min=0) / 60.0
        return torch.floor(torch.log2(1.0 + minutes)).clamp(max=self.config.num_age_buckets - 1).long()

    def read_out(self, hidden, state, scene_axis, age_seconds, allowed):
        """Decayed scene attention.

        hidden [B,L,d]; state [B,Q,d] (the encoder state at each query time);
        scene_axis [B,Q] target scene (scene-axis index); age_seconds [B,Q,L]
        of each history event at each query time; allowed [B,Q,L].
        Returns interests [B,Q,d] and attention [B,Q,L].
        """
        query = self.scene_query[scene_axis] + self.query_from_state(state)
        keys, values = self.readout_key(hidden), self.readout_value(hidden)
        logits = query @ keys.transpose(-1, -2)
        if self.age_bucket_embedding is not None:
            # The age embedding enters keys and values linearly, so its share of
            # the logits and read-out is computed per bucket, not per event.
            buckets = self.age_buckets(age_seconds)
            bucket_keys = self.readout_key(self.age_bucket_embedding.weight) - self.readout_key.bias
            bucket_values = self.readout_value(self.age_bucket_embedding.weight) - self.readout_value.bias
            one_hot = (buckets.unsqueeze(-1) == torch.arange(self.config.num_age_buckets,
                                                             device=buckets.device)).to(hidden.dtype)
            logits = logits + (one_hot @ (query @ bucket_keys.t()).unsqueeze(-1)).squeeze(-1)
        logits = logits / math.sqrt(self.config.dim)
        if self.decay_raw is not None:
            rate = self.decay_rate_per_hour()[scene_axis]
            logits = logits - rate.unsqueeze(-1) * (age_seconds.clamp(min=0) / SECONDS_PER_HOUR)
        attention = logits.masked_fill(~allowed, MASKED_LOGIT).softmax(-1) * allowed
        readout = attention @ values
        if self.age_bucket_embedding is not None:
            bucket_weights = (attention.unsqueeze(-2) @ one_hot).squeeze(-2)
            readout = readout + bucket_weights @ bucket_values
        if self.config.readout_residual:
            readout = readout + state
        return self.readout_norm(readout), attention

    # --- training and prediction ---------------------------------------------
    def forward_all_positions(self, item, scene, event_type, timestamp_ms, target_scene_axis, reference_time_ms):
        """Interest at every position for the next event's scene: [B,L,d].

        target_scene_axis [B,L]: scene (scene-axis index) of the event that
        follows each position; reference_time_ms [B,L]: the time ages at each
        position are measured from.
        """
        hidden, present = self.encode(item, scene, event_type)
        if self.config.readout == "last":
            if self.request_scene_embedding is not None:
                return hidden + self.request_scene_embedding(target_scene_axis)
            return hidden
        length = item.shape[1]
        age_seconds = (reference_time_ms.unsqueeze(-1) - timestamp_ms.unsqueeze(1)).float() / 1000.0
        causal = torch.ones(length, length, dtype=torch.bool, device=item.device).tril()
        allowed = causal.unsqueeze(0) & present.unsqueeze(1)
        interests, _ = self.read_out(hidden, hidden, target_scene_axis, age_seconds, allowed)
        return interests

    def predict(self, item, scene, event_type, age_seconds):
        """The exported function: [B,L] inputs -> interests [B,S,d], attention [B,S,L].

        Ages are relative to the time of prediction; the last position holds
        the newest event.
        """
        hidden, present = self.encode(item, scene, event_type)
        batch, length = item.shape
        scenes = self.num_output_scenes
        state = hidden[:, -1:, :].expand(batch, scenes, hidden.shape[-1])
        if self.config.readout == "last":
            if self.request_scene_embedding is not None:
                state = state + self.request_scene_embedding.weight.unsqueeze(0)
            return state, torch.zeros(batch, scenes, length)
        scene_axis = torch.arange(scenes, device=item.device).unsqueeze(0).expand(batch, scenes)
        ages = age_seconds.unsqueeze(1).expand(batch, scenes, length)
        allowed = present.unsqueeze(1).expand(batch, scenes, length)
        return self.read_out(hidden, state, scene_axis, ages, allowed)

    def item_scores(self, interests):
        """Dot product with every known item (indices 2..): [..., d] -> [..., items]."""
        return interests @ self.item_embedding.weight[FIRST_TOKEN_INDEX:].t()
