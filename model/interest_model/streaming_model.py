"""The streaming interest model: band-causal encoder, one cached vector per event, per-scene read-outs.

Per event (the step the job runs):
1. Encode the new event against the tokens of the W events before it
   (band-causal attention, so an event's state never changes after it
   arrives). The attention's key and value projections are folded into the
   query and output matrices, so keys and values are the normalised token
   embeddings, which the job recomputes from the token history it keeps.
2. Cache one vector per event, z = to_cache(state), of width r. The
   read-outs use it as both key and value (their projections folded into
   the queries and the output), so nothing else of a past event is kept.
3. For every scene, and once more for "scene not known", a query from the
   new state attends over the cached vectors of the last L events; each
   logit is lowered by a learned per-query rate times the event's age (the
   half-life). The softmax also holds a "nothing relevant" slot with a
   learned logit that does not decay, so an aged history loses weight to it
   as a whole. interest = LayerNorm(state + from_cache(read-out) + a
   learned vector per query).
4. score(item) = interest . item_embedding + weight * log popularity share
   (live popularity at the request, live_popularity.py), with weight >= 0
   learned per user and query from the state and from how stale the
   interests are: a blend that falls back on popularity where the sequence
   says little or is old.

The request may come after the newest event (contract 2): the step is told
the request age, the time from the newest event to the request. Every
read-out age is measured from the request, so the decay and the sink see
how old the history is when it is scored; the job recommends at each event,
so it passes 0.

Training runs the same functions over whole windows at once (`forward_sequence`);
`step` is the incremental form the ONNX graph exports. Ages are seconds at the
interface and hours inside the decay, so rates are per hour.
"""
import math

import torch
from torch import nn

from .data import FIRST_TOKEN_INDEX, PAD_INDEX
from .decay import LearnedDecay, initial_decay

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_MINUTE = 60.0
SECONDS_PER_DAY = 86400.0
# A large negative instead of -inf keeps fully masked rows finite (no NaN).
MASKED_LOGIT = -1e9
# The popularity gate's product has a multiple of this many output columns (see gate).
GATE_COLUMNS = 16
# What the popularity weight reads besides the state (see staleness_features).
STALENESS_FEATURES = 3


def gate_columns(queries: int) -> int:
    """The popularity gate's output columns for this many read-out queries."""
    return -(-queries // GATE_COLUMNS) * GATE_COLUMNS


def masked_softmax(logits, allowed):
    return logits.masked_fill(~allowed, MASKED_LOGIT).softmax(-1) * allowed


def offsets(length: int, device=None):
    """[length, length]: j - k, how many events position k is before position j."""
    return torch.arange(length, device=device).unsqueeze(1) - torch.arange(length, device=device).unsqueeze(0)


def band(length: int, width: int, device=None):
    """[length, length] bool: position j may read position k when 0 <= j - k < width."""
    offset = offsets(length, device)
    return (offset >= 0) & (offset < width)


def in_band(length: int, width: int, device=None):
    """offsets() clamped to 0..width-1, so that outside the band they still index a bias (then masked)."""
    return offsets(length, device).clamp(0, width - 1)


class StreamingInterestModel(nn.Module, LearnedDecay):
    def __init__(self, config, num_items: int, num_scenes: int, num_event_types: int):
        """num_*: vocabulary sizes including padding and unknown."""
        super().__init__()
        self.config = config
        dim, cache_dim = config.dim, config.cache_dim
        if not 0 < config.encoder_window < config.history_length:
            raise ValueError("encoder_window must be at least 1 and below history_length")
        self.num_output_scenes = num_scenes - FIRST_TOKEN_INDEX
        # Read-out queries: one per scene (scene-axis order), then the scene-blind one.
        self.num_queries = self.num_output_scenes + 1
        self.item_embedding = nn.Embedding(num_items, dim, padding_idx=PAD_INDEX)
        self.scene_embedding = nn.Embedding(num_scenes, dim, padding_idx=PAD_INDEX) if config.use_scenes else None
        self.event_type_embedding = (nn.Embedding(num_event_types, dim, padding_idx=PAD_INDEX)
                                     if config.use_event_types else None)
        self.dropout = nn.Dropout(config.dropout)
        self.token_norm = nn.LayerNorm(dim)
        self.attention_query = nn.Linear(dim, dim)
        self.attention_output = nn.Linear(dim, dim)
        # Logit change per unit of log(1 + minutes since the earlier event): the
        # encoder can tell a session's events from last week's.
        self.gap_weight = nn.Parameter(torch.zeros(()))
        # Logit bias per distance in events (0 = itself .. W): order where timestamps tie.
        self.encoder_offset_bias = nn.Parameter(torch.zeros(config.encoder_window + 1))
        hidden = config.feed_forward_multiple * dim
        self.feed_forward_norm = nn.LayerNorm(dim)
        self.feed_forward = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(config.dropout),
                                          nn.Linear(hidden, dim))
        self.state_norm = nn.LayerNorm(dim)
        self.to_cache = nn.Linear(dim, cache_dim)
        self.scene_query = nn.Parameter(torch.randn(self.num_queries, cache_dim) * 0.02)
        self.query_from_state = nn.Linear(dim, cache_dim)
        self.from_cache = nn.Linear(cache_dim, dim)
        self.readout_norm = nn.LayerNorm(dim)
        # Per query, a learned vector added to the interest (as SASRec-style adds a scene vector to its
        # user vector): the read-out's values are past events (and the sink's narrow value), so without
        # it a scene where the user has no history can hardly move the interest toward that scene's
        # items (the cross-scene cold case). Validation NDCG@10 on the synthetic log was a tie
        # (0.4908 with, 0.4907 without).
        self.query_offset = nn.Parameter(torch.zeros(self.num_queries, dim))
        # Per query, a logit bias per distance in events (0 = newest .. L-1), beside the age decay.
        self.readout_offset_bias = nn.Parameter(torch.zeros(self.num_queries, config.history_length))
        # Per query, a "nothing relevant" slot in the read-out's softmax: a learned logit that does not
        # decay and a learned value in cache space. Without it the weights over past events always sum
        # to 1, so the read-out is unchanged when all of them age together and a decay rate can only
        # say how events fade relative to each other; with it, as the history ages its total weight
        # falls and the interest falls back to the state and the slot's value.
        # (Validation NDCG@10 on the synthetic log 0.4907 against 0.4757 without it; model/README.md.)
        self.sink_logit = nn.Parameter(torch.zeros(self.num_queries))
        self.sink_value = nn.Parameter(torch.zeros(self.num_queries, cache_dim))
        self.decay_raw = None
        if config.use_decay:
            self.decay_raw = initial_decay(self.num_queries, config.initial_half_life_hours)
        # Wider than the queries: see gate.
        self.popularity_gate = (nn.Linear(dim, gate_columns(self.num_queries))
                                if config.use_popularity_blend else None)
        # Per query (gate column), the popularity weight's change per unit of each staleness feature;
        # the first (days since the newest event) starts at config.staleness_prior: few training
        # requests come days after their input, so from 0 the slope would hardly be learned.
        self.staleness_weight = None
        if config.use_popularity_blend:
            initial = torch.zeros(STALENESS_FEATURES, gate_columns(self.num_queries))
            initial[0] = config.staleness_prior
            self.staleness_weight = nn.Parameter(initial)
        nn.init.normal_(self.item_embedding.weight, std=dim ** -0.5)
        with torch.no_grad():
            self.item_embedding.weight[PAD_INDEX].zero_()

    @property
    def blind_query(self) -> int:
        return self.num_output_scenes

    # --- pieces shared by the sequence and the step form ----------------------
    def embed(self, item, scene, event_type):
        x = self.item_embedding(item) * math.sqrt(self.config.dim)
        if self.scene_embedding is not None:
            x = x + self.scene_embedding(scene)
        if self.event_type_embedding is not None:
            x = x + self.event_type_embedding(event_type)
        return x

    def encoder_attention(self, x_queries, tokens, gap_seconds, offsets, allowed):
        """x_queries [B,M,d] attend over normalised tokens [B,K,d] -> [B,M,d].

        gap_seconds and allowed [B,M,K]; offsets [M,K]: how many events back
        each token is (0..W).
        """
        query = self.attention_query(self.token_norm(x_queries))
        logits = query @ tokens.transpose(-1, -2) / math.sqrt(self.config.dim) + self.encoder_offset_bias[offsets]
        logits = logits - self.gap_weight * torch.log1p(gap_seconds.clamp(min=0) / SECONDS_PER_MINUTE)
        return masked_softmax(logits, allowed) @ tokens

    def state_from(self, x, mixed):
        """The rest of the encoder block after attention: residual, feed-forward, norm."""
        h = x + self.dropout(self.attention_output(mixed))
        h = h + self.dropout(self.feed_forward(self.feed_forward_norm(h)))
        return self.state_norm(h)

    def read_out(self, state, query_index, cache, age_seconds, offsets, allowed, request_age_seconds):
        """Decayed attention of queries over cached vectors.

        state [B,M,d] or [B,1,d] (shared by all M queries) the reading
        event's state; query_index [B,M]; cache
        [B,K,r]; age_seconds and allowed [B,M,K]: ages from the reading
        event; offsets [M,K]: how many events back each cached vector is
        (0..L-1); request_age_seconds [B,M]: from the reading event to the
        request, added to every age. Returns interests [B,M,d], attention
        [B,M,K] and the popularity weight [B,M].
        """
        request_age_seconds = request_age_seconds.clamp(min=0)
        age_seconds = age_seconds + request_age_seconds.unsqueeze(-1)
        query = self.scene_query[query_index] + self.query_from_state(state)
        offset_bias = self.readout_offset_bias[query_index].gather(
            -1, offsets.expand(*query_index.shape, -1))
        logits = query @ cache.transpose(-1, -2) / math.sqrt(self.config.cache_dim) + offset_bias
        if self.decay_raw is not None:
            rate = self.decay_rate_per_hour()[query_index]
            logits = logits - rate.unsqueeze(-1) * (age_seconds.clamp(min=0) / SECONDS_PER_HOUR)
        sink = self.sink_logit[query_index].unsqueeze(-1)
        weights = torch.cat([logits.masked_fill(~allowed, MASKED_LOGIT), sink], dim=-1).softmax(-1)
        on_events = weights[..., :-1] * allowed
        read = on_events @ cache + weights[..., -1:] * self.sink_value[query_index]
        # Reported (the step's `attention`): how the read-out splits its weight among past events, the
        # sink's share left out, so it sums to 1 as the contract says.
        attention = on_events / on_events.sum(-1, keepdim=True).clamp(min=1e-30)  # padding rows: 0
        interests = self.readout_norm(state + self.from_cache(read) + self.query_offset[query_index])
        if self.popularity_gate is None:
            weight = torch.zeros(query_index.shape, dtype=state.dtype)
        else:
            features = self.staleness_features(request_age_seconds, weights[..., -1], allowed)
            gate = self.gate(state, features)
            weight = gate.gather(-1, query_index.unsqueeze(-1)).squeeze(-1)
        return interests, attention, weight

    def staleness_features(self, request_age_seconds, sink_share, allowed):
        """Three [B,M,16]: log(1 + days from the newest event to the request), the read-out's share
        on its sink, log(1 + events read); each repeated over the gate's columns (see gate). Days,
        not hours: the first feature stays near 0 within a session and grows for returning users."""
        columns = self.popularity_gate.out_features
        repeat = (*sink_share.shape, columns)
        request_days = (request_age_seconds / SECONDS_PER_DAY).unsqueeze(-1).expand(repeat)
        events_read = allowed.float().sum(-1).unsqueeze(-1).expand(repeat)
        return torch.log1p(request_days), sink_share.unsqueeze(-1).expand(repeat), torch.log1p(events_read)

    def gate(self, state, features):
        """The popularity weight per query [B,M,16], softplus over 16 output columns.

        ONNX Runtime computes a matrix product with fewer output columns, and element-wise
        functions over rows of other widths, in kernels whose rounding depends on the batch size;
        over 16 columns (the extra ones unused) each user's weight comes out the same whoever
        shares the model call, so the job's outputs do not depend on how it bundles events.
        """
        pre_activation = self.popularity_gate(state)
        for index, feature in enumerate(features):  # element-wise, no reduction kernel
            pre_activation = pre_activation + feature * self.staleness_weight[index]
        return nn.functional.softplus(pre_activation)

    # --- sequence form: training, evaluation and the reference ---------------
    def encode_sequence(self, item, scene, event_type, time_ms):
        """[B,T] left-padded events -> states [B,T,d], cached vectors [B,T,r], present [B,T]."""
        present = item != PAD_INDEX
        x = self.dropout(self.embed(item, scene, event_type)) * present.unsqueeze(-1)
        gap_seconds = (time_ms.unsqueeze(-1) - time_ms.unsqueeze(1)).float() / 1000.0
        width = self.config.encoder_window + 1
        allowed = band(item.shape[1], width, item.device) & present.unsqueeze(1)
        mixed = self.encoder_attention(x, self.token_norm(x), gap_seconds, in_band(item.shape[1], width, item.device),
                                       allowed)
        states = self.state_from(x, mixed)
        return states, self.to_cache(states), present

    def forward_sequence(self, item, scene, event_type, time_ms, query_index, request_time_ms=None):
        """Read-outs at every position: interests [B,T,d], popularity weight [B,T].

        Position j reads the cached vectors of the L events up to and
        including itself, ages measured from its request time
        (request_time_ms [B,T], by default its own time); query_index [B,T].
        """
        states, cache, present = self.encode_sequence(item, scene, event_type, time_ms)
        age_seconds = (time_ms.unsqueeze(-1) - time_ms.unsqueeze(1)).float() / 1000.0
        request_age = torch.zeros_like(age_seconds[..., 0]) if request_time_ms is None else (
            (request_time_ms - time_ms).float() / 1000.0)
        length = self.config.history_length
        allowed = band(item.shape[1], length, item.device) & present.unsqueeze(1)
        interests, _, weight = self.read_out(states, query_index, cache, age_seconds,
                                             in_band(item.shape[1], length, item.device), allowed, request_age)
        return interests, weight

    def read_out_newest(self, item, scene, event_type, time_ms, query_index, request_time_ms=None):
        """Read-outs at the newest (last) position only, for queries [B,M], requested at
        request_time_ms [B] (by default the newest event's time).

        Returns interests [B,M,d], attention [B,M,L] over the last L
        positions, popularity weight [B,M] and the newest cached vector [B,r].
        """
        states, cache, present = self.encode_sequence(item, scene, event_type, time_ms)
        length = self.config.history_length
        states, cache, present, time_ms = states[:, -1:], cache[:, -length:], present[:, -length:], time_ms[:, -length:]
        age_seconds = ((time_ms[:, -1:] - time_ms).float() / 1000.0).unsqueeze(1)
        queries = query_index.shape[1]
        request_age = torch.zeros(len(item)) if request_time_ms is None else (
            (request_time_ms - time_ms[:, -1]).float() / 1000.0)
        newest_back = (cache.shape[1] - 1 - torch.arange(cache.shape[1], device=item.device)).unsqueeze(0)
        interests, attention, weight = self.read_out(
            states, query_index, cache, age_seconds.expand(-1, queries, -1),
            newest_back, present.unsqueeze(1).expand(-1, queries, -1), request_age.unsqueeze(1).expand(-1, queries))
        return interests, attention, weight, cache[:, -1]

    # --- step form: what the job runs per event --------------------------------
    def step(self, item, scene, event_type, window_item, window_scene, window_event_type,
             age_seconds, cache, cache_mask, request_age_seconds):
        """One new event per row.

        item, scene, event_type [B]: the new event. window_* [B,W]: the tokens
        of the W events before it (oldest first, left-padded with 0).
        age_seconds [B,L-1]: ages of the L-1 events before it relative to the
        new event, oldest first (0 for padding); the last W are the window's.
        cache [B,L-1,r] and cache_mask [B,L-1]: their cached vectors, mask 1
        where a vector is present (while the cache is rebuilt, some events in
        the history have no vector yet). request_age_seconds [B]: from the new
        event to the request the read-outs are for.
        Returns the new event's cached vector [B,r], interests [B,Q,d],
        attention [B,Q,L] (position L-1 is the new event) and popularity
        weights [B,Q], for Q = every scene then scene-blind.
        """
        window = self.config.encoder_window
        x = self.embed(item, scene, event_type).unsqueeze(1)
        tokens = torch.cat([self.token_norm(self.embed(window_item, window_scene, window_event_type)),
                            self.token_norm(x)], dim=1)
        no_gap = torch.zeros_like(age_seconds[:, :1])
        gap_seconds = torch.cat([age_seconds[:, -window:], no_gap], dim=1).unsqueeze(1)
        allowed = torch.cat([window_item != PAD_INDEX, torch.ones_like(item, dtype=torch.bool).unsqueeze(1)],
                            dim=1).unsqueeze(1)
        window_back = torch.arange(window, -1, -1).unsqueeze(0)
        state = self.state_from(x, self.encoder_attention(x, tokens, gap_seconds, window_back, allowed))
        new_entry = self.to_cache(state)
        full_cache = torch.cat([cache, new_entry], dim=1)
        ages = torch.cat([age_seconds, no_gap], dim=1).unsqueeze(1).expand(-1, self.num_queries, -1)
        present = torch.cat([cache_mask > 0, torch.ones_like(no_gap, dtype=torch.bool)], dim=1)
        queries = torch.arange(self.num_queries).unsqueeze(0).expand(item.shape[0], -1)
        length = self.config.history_length
        cache_back = torch.arange(length - 1, -1, -1).unsqueeze(0)
        interests, attention, weight = self.read_out(
            state, queries, full_cache, ages, cache_back,
            present.unsqueeze(1).expand(-1, self.num_queries, -1),
            request_age_seconds.unsqueeze(1).expand(-1, self.num_queries))
        return new_entry.squeeze(1), interests, attention, weight

    def item_scores(self, interests):
        """Dot product with every known item (indices 2..): [..., d] -> [..., items]."""
        return interests @ self.item_embedding.weight[FIRST_TOKEN_INDEX:].t()
