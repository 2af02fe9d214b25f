"""What one step of the streaming model costs: multiply-adds per event and cache bytes per user.

Multiply-adds are those of the matrix products in StreamingInterestModel.step
for one event (batch 1); element-wise work (embedding sums, layer norms,
softmax, exp) is a few operations per vector element and is listed apart.
`tests/test_cost.py` checks the count against the products in the exported
ONNX graph.
"""
from dataclasses import dataclass

from .streaming_model import gate_columns


@dataclass(frozen=True)
class StepCost:
    encoder: int
    read_out: int
    elementwise: int

    @property
    def multiply_adds(self) -> int:
        return self.encoder + self.read_out


def step_cost(config, num_scenes: int, history_length: int = None) -> StepCost:
    """Cost of one event at history length L (config.history_length unless given); S = num_scenes."""
    length = history_length or config.history_length
    d, r, w = config.dim, config.cache_dim, config.encoder_window
    queries = num_scenes + 1
    hidden = config.feed_forward_multiple * d
    encoder = (d * d                 # folded query of the new event
               + 2 * (w + 1) * d     # logits over the window and itself, weighted sum of their tokens
               + d * d               # folded value-output projection
               + 2 * d * hidden      # feed-forward
               + d * r)              # the vector to cache
    read_out = (d * r                        # query from the state
                + 2 * queries * length * r   # logits and weighted sums over the L cached vectors
                + queries * r * d            # back from cache width to the item space
                + (d * gate_columns(queries) if config.use_popularity_blend else 0))
    # Per vector element, a few operations: embedding sums and norms of the
    # window's tokens, and per query a softmax over L and the sink, the
    # sink's value, the reported attention's normalisation, the query's
    # offset and a layer norm.
    elementwise = 4 * (w + 1) * d + 3 * d + queries * (5 * length + 2 * r + 5 * d)
    return StepCost(encoder, read_out, elementwise)


def cache_bytes_per_user(config, history_length: int = None, bytes_per_value: int = 4) -> dict:
    """Per-user model state: the L-1 cached vectors, and the token history that rebuilds them.

    Token history per kept event (L-1+W of them): item index (int32), scene
    and event type (one byte each) and event time (int64 ms).
    """
    length = history_length or config.history_length
    cached = (length - 1) * config.cache_dim * bytes_per_value
    tokens = (length - 1 + config.encoder_window) * (4 + 1 + 1 + 8)
    return {"cache": cached, "token_history": tokens, "total": cached + tokens}
