"""The learned exponential decay of attention logits with age, shared by both models.

A row's logit is lowered by softplus(raw) * age in hours, so softplus(raw) is
a rate per hour and ln 2 / softplus(raw) the half-life.
"""
import math

import torch
from torch import nn


def initial_decay(rows: int, half_life_hours: float) -> nn.Parameter:
    """Raw parameters that start every row at the same half-life."""
    rate = math.log(2) / half_life_hours
    return nn.Parameter(torch.full((rows,), math.log(math.expm1(rate))))


class LearnedDecay:
    """For a module whose `decay_raw` holds the raw parameters (None without decay)."""

    def decay_rate_per_hour(self):
        return nn.functional.softplus(self.decay_raw)

    def half_lives_hours(self):
        """Learned half-life per row in hours (scenes in scene-axis order, for the streaming model then
        scene-blind); None without decay."""
        if self.decay_raw is None:
            return None
        return math.log(2) / self.decay_rate_per_hour()
