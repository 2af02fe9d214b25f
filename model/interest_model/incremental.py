"""What the job keeps per user and does per event, with the streaming model's step: the Python twin of
org.interesttracker.serving.StreamingUserCache and StreamingInterestServing.

Per user: the tokens and times of the last L-1+W events (the compact token
history) and the cached vectors of the last L-1. An event in time order is
one step. A late event (older than the newest kept) is inserted in time
order and the cache is rebuilt by replaying the newest L events: a cached
vector depends only on its event and the W tokens before it, never on
earlier cached vectors, so L steps (each with its W predecessors' tokens)
rebuild it exactly. A late event older than everything kept is refused.
"""
from dataclasses import dataclass
from typing import List, NamedTuple

import torch

from .data import PAD_INDEX


@dataclass(frozen=True)
class Event:
    item: int
    scene: int
    event_type: int
    time_ms: int


class StepOutputs(NamedTuple):
    new_state: torch.Tensor          # [r] the newest event's cached vector
    interests: torch.Tensor          # [Q, d]
    attention: torch.Tensor          # [Q, L]
    popularity_weight: torch.Tensor  # [Q]


class IncrementalUser:
    def __init__(self, model):
        self.model = model
        config = model.config
        self.cached_events = config.history_length - 1
        self.kept_events = self.cached_events + config.encoder_window
        self.events: List[Event] = []
        self.cache: List[torch.Tensor] = []  # aligned with the newest len(cache) events

    def add(self, event: Event, request_age_seconds: float = 0.0) -> StepOutputs:
        """Takes one arriving event; returns the read-outs at the newest event (the arriving one
        unless it is late), for a request `request_age_seconds` after that newest event."""
        if not self.events or event.time_ms >= self.events[-1].time_ms:
            return self._append(event, request_age_seconds)
        if event.time_ms < self.events[0].time_ms and len(self.events) == self.kept_events:
            raise ValueError("late event older than the kept history")
        position = next(i for i, e in enumerate(self.events) if e.time_ms > event.time_ms)
        replay = self.events[:position] + [event] + self.events[position:]
        # The newest L events: L-1 to refill the cache, then the newest, whose read-outs are returned.
        replayed = min(len(replay), self.cached_events + 1)
        self.events, self.cache = replay[:-replayed], []
        for past in replay[-replayed:-1]:
            self._append(past, 0.0)
        # The read-outs served are the newest event's, so the request age counts from it.
        return self._append(replay[-1], request_age_seconds)

    def _append(self, event: Event, request_age_seconds: float) -> StepOutputs:
        outputs = self.step_inputs_and_run(event, request_age_seconds)
        self.events = (self.events + [event])[-self.kept_events:]
        self.cache = (self.cache + [outputs.new_state])[-self.cached_events:]
        return outputs

    def step_inputs_and_run(self, event: Event, request_age_seconds: float) -> StepOutputs:
        window, cached = self.model.config.encoder_window, self.cached_events
        cache_dim = self.model.config.cache_dim
        past = self.events[-window:]
        pad = window - len(past)
        window_tokens = [[PAD_INDEX] * pad + [getattr(e, field) for e in past]
                         for field in ("item", "scene", "event_type")]
        # Ages cover the previous L-1 events whether or not their vectors are cached yet (while
        # rebuilding they are not): the encoder reads the window's gaps from them.
        previous = self.events[-cached:]
        ages = [0.0] * (cached - len(previous)) + [(event.time_ms - e.time_ms) / 1000.0 for e in previous]
        missing = cached - len(self.cache)
        cache = torch.zeros(cached, cache_dim)
        if self.cache:
            cache[missing:] = torch.stack(self.cache)
        mask = [0.0] * missing + [1.0] * len(self.cache)
        with torch.no_grad():
            outputs = self.model.step(
                torch.tensor([event.item]), torch.tensor([event.scene]), torch.tensor([event.event_type]),
                *(torch.tensor([tokens]) for tokens in window_tokens),
                torch.tensor([ages], dtype=torch.float32), cache.unsqueeze(0), torch.tensor([mask]),
                torch.tensor([request_age_seconds], dtype=torch.float32))
        return StepOutputs(*(o[0] for o in outputs))
