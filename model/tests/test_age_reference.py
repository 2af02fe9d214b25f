import numpy as np

from interest_model.config import Config
from interest_model.pipeline import prepare
from interest_model.train import history_tensors, reference_times_ms


def ages_for(tiny_log_path, age_reference):
    config = Config(history_length=8, age_reference=age_reference)
    prepared = prepare(tiny_log_path, config)
    rows, target_time = prepared.test.examples.history_rows, prepared.test.query_time_ms
    reference = reference_times_ms(config, prepared.dataset.encoded, rows, target_time)
    item, _, _, age_seconds = history_tensors(prepared.dataset.encoded, rows, reference)
    newest_time = prepared.dataset.encoded.timestamp_ms[rows[:, -1]]
    # Padding (item 0) gets age 0; mark it so order checks see real events only.
    ages = np.where(item.numpy() == 0, np.inf, age_seconds.numpy())
    return ages, (target_time - newest_time) / 1000.0


def test_current_event_reference_gives_the_newest_event_age_zero(tiny_log_path):
    """What the Flink job computes when it recomputes on every event."""
    ages, _ = ages_for(tiny_log_path, "current_event")
    assert np.all(ages[:, -1] == 0.0)
    assert np.all(np.diff(ages, axis=1) <= 0)  # older events (and padding) further left


def test_next_event_reference_measures_ages_from_the_target_time(tiny_log_path):
    ages, gap_to_target = ages_for(tiny_log_path, "next_event")
    assert np.allclose(ages[:, -1], gap_to_target)
    assert np.all(gap_to_target > 0)
