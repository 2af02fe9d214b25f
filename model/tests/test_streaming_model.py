import math

import pytest
import torch

from interest_model.config import Config
from interest_model.data import PAD_INDEX
from interest_model.incremental import Event, IncrementalUser
from interest_model.streaming_model import StreamingInterestModel

NUM_ITEMS, NUM_SCENES, NUM_EVENT_TYPES = 30, 5, 8  # vocabulary sizes incl. padding and unknown
LENGTH, WINDOW = 6, 3
QUERIES = NUM_SCENES - 2 + 1


def make_model(**changes):
    torch.manual_seed(0)
    config = Config(history_length=LENGTH, encoder_window=WINDOW, dim=16, cache_dim=8, dropout=0.0).replace(**changes)
    model = StreamingInterestModel(config, NUM_ITEMS, NUM_SCENES, NUM_EVENT_TYPES).eval()
    with torch.no_grad():  # away from the initial values, so gaps, ages and offsets matter
        model.gap_weight.fill_(0.7)
        model.decay_raw.copy_(torch.linspace(-3.0, 1.0, QUERIES))
        model.encoder_offset_bias.copy_(torch.randn(WINDOW + 1))
        model.readout_offset_bias.copy_(torch.randn(QUERIES, LENGTH))
    return model


def random_events(count: int, seed: int = 1):
    generator = torch.Generator().manual_seed(seed)
    gaps = torch.randint(1, 4 * 3600, (count,), generator=generator)
    times = 1_700_000_000_000 + torch.cumsum(gaps, 0) * 1000
    return [Event(int(torch.randint(1, NUM_ITEMS, (1,), generator=generator)),
                  int(torch.randint(2, NUM_SCENES, (1,), generator=generator)),
                  int(torch.randint(2, NUM_EVENT_TYPES, (1,), generator=generator)), int(t)) for t in times]


def as_sequence(events, length=None):
    """Events -> [1,T] tensors, left-padded to `length`."""
    pad = (length or len(events)) - len(events)
    columns = [[0] * pad + [getattr(e, f) for e in events] for f in ("item", "scene", "event_type", "time_ms")]
    return tuple(torch.tensor([c]) for c in columns)


def reference(model, events):
    """Read-outs of every query at the newest event, from the whole history at once."""
    inputs = as_sequence(events[-(LENGTH + WINDOW):], LENGTH + WINDOW)
    with torch.no_grad():
        return model.read_out_newest(*inputs, torch.arange(QUERIES).unsqueeze(0))


def test_a_past_event_state_never_changes_when_new_events_arrive():
    model = make_model()
    events = random_events(12)
    with torch.no_grad():
        _, before, _ = model.encode_sequence(*as_sequence(events[:7]))
        _, after, _ = model.encode_sequence(*as_sequence(events))
    assert torch.allclose(before[0], after[0, :7], atol=1e-6)


def test_an_event_reads_at_most_the_previous_window_events():
    model = make_model()
    events = random_events(10)
    changed = list(events)
    newest = len(events) - 1
    changed[newest - WINDOW - 1] = Event(7, 3, 4, events[newest - WINDOW - 1].time_ms)  # just outside the band
    with torch.no_grad():
        _, cache, _ = model.encode_sequence(*as_sequence(events))
        _, cache_changed, _ = model.encode_sequence(*as_sequence(changed))
    assert torch.allclose(cache[0, newest], cache_changed[0, newest], atol=1e-6)
    assert not torch.allclose(cache[0, newest - 1], cache_changed[0, newest - 1], atol=1e-4)


def test_incremental_steps_equal_the_full_forward_at_every_event_also_after_the_window_slides():
    model = make_model()
    events = random_events(3 * (LENGTH + WINDOW))
    user = IncrementalUser(model)
    for count in range(1, len(events) + 1):
        step = user.add(events[count - 1])
        interests, attention, weight, newest = reference(model, events[:count])
        assert torch.allclose(step.new_state, newest[0], atol=1e-5), count
        assert torch.allclose(step.interests, interests[0], atol=1e-5), count
        assert torch.allclose(step.attention, attention[0, :, -LENGTH:], atol=1e-5), count
        assert torch.allclose(step.popularity_weight, weight[0], atol=1e-5), count
    assert len(user.cache) == LENGTH - 1 and len(user.events) == LENGTH - 1 + WINDOW


def test_a_late_event_is_inserted_in_time_order_and_the_cache_rebuilt_exactly():
    model = make_model()
    events = random_events(2 * (LENGTH + WINDOW))
    late = Event(5, 2, 3, (events[-3].time_ms + events[-2].time_ms) // 2)
    user = IncrementalUser(model)
    for event in events:
        user.add(event)
    step = user.add(late)
    in_order = events[:-2] + [late] + events[-2:]
    interests, attention, _, _ = reference(model, in_order)
    assert torch.allclose(step.interests, interests[0], atol=1e-5)
    assert torch.allclose(step.attention, attention[0, :, -LENGTH:], atol=1e-5)
    # The rebuilt cache serves the next event exactly as if the late one had come in order.
    after = Event(9, 4, 2, events[-1].time_ms + 60_000)
    next_step = user.add(after)
    interests, _, _, _ = reference(model, in_order + [after])
    assert torch.allclose(next_step.interests, interests[0], atol=1e-5)


def test_attention_covers_real_events_only_and_sums_to_one():
    model = make_model()
    step = IncrementalUser(model).add(random_events(1)[0])
    # A first event: only the newest position (the event itself) is real.
    assert torch.allclose(step.attention[:, -1], torch.ones(QUERIES))
    assert torch.allclose(step.attention[:, :-1], torch.zeros(QUERIES, LENGTH - 1))


def test_faster_decay_moves_a_scene_read_out_to_recent_events():
    model = make_model()
    events = random_events(LENGTH)
    _, slow, _, _ = reference(model, events)
    with torch.no_grad():
        model.decay_raw[0] = 50.0  # half-life about 50 seconds
    _, fast, _, _ = reference(model, events)
    assert fast[0, 0, -1] > 0.99 > slow[0, 0, -1]
    assert torch.allclose(fast[0, 1:], slow[0, 1:])
    assert model.half_lives_hours()[0].item() == pytest.approx(math.log(2) / 50.0, rel=1e-4)


def test_popularity_weight_is_non_negative_and_absent_without_the_blend():
    events = random_events(LENGTH)
    _, _, weight, _ = reference(make_model(), events)
    assert torch.all(weight >= 0) and torch.all(weight > 0)
    _, _, no_weight, _ = reference(make_model(use_popularity_blend=False), events)
    assert torch.all(no_weight == 0)


def test_unknown_items_and_scenes_are_real_events():
    model = make_model()
    events = random_events(4)
    unknown = Event(1, 1, 1, events[-1].time_ms + 1000)
    step = IncrementalUser(model).add(unknown)
    assert PAD_INDEX not in (unknown.item, unknown.scene)
    assert torch.isfinite(step.interests).all() and step.attention[0, -1] == 1.0


def test_weight_the_sink_takes_leaves_the_past_events_and_is_not_reported():
    model = make_model()
    events = random_events(LENGTH + WINDOW)
    # Differs from `events` in two read events beyond the newest event's encoder window.
    outside = range(len(events) - LENGTH, len(events) - 1 - WINDOW)
    changed = [Event(7, 3, 4, e.time_ms) if i in outside else e for i, e in enumerate(events)]
    with_past, _, _, _ = reference(model, events)
    assert not torch.allclose(with_past, reference(model, changed)[0], atol=1e-4)
    with torch.no_grad():
        model.sink_logit.fill_(60.0)  # all weight on the sink: past events no longer matter
    interests, attention, _, _ = reference(model, events)
    assert torch.allclose(interests, reference(model, changed)[0], atol=1e-5)
    # `attention` still says how the read-out splits its weight among the past events.
    assert torch.allclose(attention[0, :, -LENGTH:].sum(-1), torch.ones(QUERIES), atol=1e-5)


def test_a_step_for_a_later_request_equals_the_read_out_requested_at_that_time():
    model = make_model()
    events = random_events(LENGTH + 2)
    user = IncrementalUser(model)
    for event in events[:-1]:
        user.add(event)
    step = user.add(events[-1], request_age_seconds=5 * 86400.0)
    inputs = as_sequence(events[-(LENGTH + WINDOW):], LENGTH + WINDOW)
    with torch.no_grad():
        interests, attention, weight, _ = model.read_out_newest(
            *inputs, torch.arange(QUERIES).unsqueeze(0), torch.tensor([events[-1].time_ms + 5 * 86400_000]))
        sequence_interests, sequence_weight = model.forward_sequence(
            *as_sequence(events), torch.full((1, len(events)), QUERIES - 1),
            torch.tensor([[e.time_ms + 5 * 86400_000 for e in events]]))
    assert torch.allclose(step.interests, interests[0], atol=1e-5)
    assert torch.allclose(step.popularity_weight, weight[0], atol=1e-5)
    assert torch.allclose(sequence_interests[0, -1], interests[0, -1], atol=1e-5)
    assert torch.allclose(sequence_weight[0, -1], weight[0, -1], atol=1e-5)


def test_a_later_request_moves_read_out_weight_to_the_sink_and_the_blend_can_learn_from_it():
    model = make_model()
    events = random_events(LENGTH)
    now = reference(model, events)
    with torch.no_grad():
        later = model.read_out_newest(*as_sequence(events[-(LENGTH + WINDOW):], LENGTH + WINDOW),
                                      torch.arange(QUERIES).unsqueeze(0), torch.tensor([events[-1].time_ms + 30 * 86400_000]))
    assert not torch.allclose(now[0], later[0], atol=1e-3)  # the decay ages the history as a whole
    assert torch.allclose(now[2], later[2])  # staleness weights start at 0
    with torch.no_grad():
        model.staleness_weight[0].fill_(1.0)  # weight per log(1 + hours since the newest event)
        later_weight = model.read_out_newest(*as_sequence(events[-(LENGTH + WINDOW):], LENGTH + WINDOW),
                                             torch.arange(QUERIES).unsqueeze(0),
                                             torch.tensor([events[-1].time_ms + 30 * 86400_000]))[2]
    assert torch.all(later_weight > now[2])


def test_the_staleness_prior_starts_the_blend_leaning_on_popularity_for_a_user_back_after_days():
    events = random_events(LENGTH)
    sequence = as_sequence(events[-(LENGTH + WINDOW):], LENGTH + WINDOW)
    queries = torch.arange(QUERIES).unsqueeze(0)
    weights = {}
    for prior in (0.0, 3.0):
        model = make_model(staleness_prior=prior)
        with torch.no_grad():
            weights[prior] = [model.read_out_newest(*sequence, queries, torch.tensor([events[-1].time_ms + days * 86400_000]))[2]
                              for days in (0, 30)]
    assert torch.allclose(weights[3.0][0], weights[0.0][0])  # at the newest event the prior changes nothing
    assert torch.all(weights[3.0][1] > weights[0.0][1] + 5)  # log(31) x 3 higher before the softplus
