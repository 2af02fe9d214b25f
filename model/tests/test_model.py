import math

import pytest
import torch

from interest_model.config import SASREC_CHANGES, Config
from interest_model.model import InterestModel

NUM_ITEMS, NUM_SCENES, NUM_EVENT_TYPES = 12, 5, 8  # vocabulary sizes incl. padding and unknown
LENGTH = 6


def make_model(**changes):
    torch.manual_seed(0)
    config = Config(history_length=LENGTH, dim=16, num_blocks=1, dropout=0.0).replace(**changes)
    return InterestModel(config, NUM_ITEMS, NUM_SCENES, NUM_EVENT_TYPES).eval()


def one_history():
    """Two padding slots, then four events in scenes 2 and 3 only (scene 4 is never visited)."""
    item = torch.tensor([[0, 0, 3, 5, 7, 9]])
    scene = torch.tensor([[0, 0, 2, 2, 3, 3]])
    event_type = torch.tensor([[0, 0, 2, 3, 2, 4]])
    age_seconds = torch.tensor([[0.0, 0.0, 7200.0, 3600.0, 600.0, 0.0]])
    return item, scene, event_type, age_seconds


def test_half_lives_are_readable_and_start_at_the_configured_value():
    model = make_model(initial_half_life_hours=6.0)
    half_lives = model.half_lives_hours()
    assert half_lives.shape == (NUM_SCENES - 2,)
    assert torch.allclose(half_lives, torch.full((3,), 6.0))
    with torch.no_grad():
        model.decay_raw[0] = math.log(math.expm1(math.log(2) / 0.5))
    assert model.half_lives_hours()[0].item() == pytest.approx(0.5)
    assert make_model(**SASREC_CHANGES).half_lives_hours() is None


@pytest.mark.parametrize("features", [{}, dict(use_age_buckets=True, use_positions=True, num_blocks=2)])
def test_predict_gives_every_scene_a_vector_and_attention_over_real_events(features):
    interests, attention = make_model(**features).predict(*one_history())
    assert interests.shape == (1, NUM_SCENES - 2, 16)
    assert attention.shape == (1, NUM_SCENES - 2, LENGTH)
    assert torch.isfinite(interests).all()
    # Scene axis 2 (vocabulary index 4) was never visited and still gets its own vector.
    assert not torch.allclose(interests[0, 2], interests[0, 0])
    assert torch.allclose(attention[0, :, :2], torch.zeros(3, 2))
    assert torch.allclose(attention.sum(-1), torch.ones(1, 3))


def test_faster_decay_moves_attention_to_recent_events():
    model = make_model()
    inputs = one_history()
    _, slow = model.predict(*inputs)
    with torch.no_grad():
        model.decay_raw[0] = 50.0  # rate 50 per hour: half-life about 50 seconds
    _, fast = model.predict(*inputs)
    assert fast[0, 0, -1] > slow[0, 0, -1]
    assert fast[0, 0, -1] > 0.9
    assert torch.allclose(fast[0, 1:], slow[0, 1:])


@pytest.mark.parametrize("features", [{}, dict(use_age_buckets=True, use_positions=True, readout_residual=False)])
def test_training_positions_match_prediction_at_the_last_position(features):
    """forward_all_positions (training) and predict (export) compute the same read-out."""
    model = make_model(**features)
    item, scene, event_type, age_seconds = one_history()
    now_ms = 10_000_000
    time_ms = (now_ms - age_seconds * 1000).long()
    target_scene_axis = torch.full((1, LENGTH), 2)
    target_time = torch.full((1, LENGTH), now_ms)
    trained = model.forward_all_positions(item, scene, event_type, time_ms, target_scene_axis, target_time)
    predicted, _ = model.predict(item, scene, event_type, age_seconds)
    assert torch.allclose(trained[0, -1], predicted[0, 2], atol=1e-5)


def test_age_buckets_are_log_spaced_and_capped():
    model = make_model(use_age_buckets=True, num_age_buckets=5)
    ages = torch.tensor([0.0, 59.0, 60.0, 180.0, 420.0, 3600.0, 1e9])
    # floor(log2(1 + minutes)): 0 min -> 0, 1 min -> 1, 3 min -> 2, 7 min -> 3, capped at 4
    assert model.age_buckets(ages).tolist() == [0, 0, 1, 2, 3, 4, 4]


def test_sasrec_style_is_told_the_request_scene_only_under_request_scene():
    item, scene, event_type, age_seconds = one_history()
    blind = make_model(**SASREC_CHANGES)
    interests, _ = blind.predict(item, scene, event_type, age_seconds)
    assert torch.allclose(interests[0, 0], interests[0, 2])  # one user vector for every scene
    told = make_model(**SASREC_CHANGES, protocol="request_scene")
    interests, _ = told.predict(item, scene, event_type, age_seconds)
    hidden, _ = told.encode(item, scene, event_type)
    for axis in range(NUM_SCENES - 2):
        assert torch.allclose(interests[0, axis], hidden[0, -1] + told.request_scene_embedding.weight[axis])
    # Training reads the same vector for the scene of each next event.
    time_ms = (10_000_000 - age_seconds * 1000).long()
    trained = told.forward_all_positions(item, scene, event_type, time_ms, torch.full((1, LENGTH), 1), time_ms)
    assert torch.allclose(trained[0, -1], interests[0, 1], atol=1e-6)
