import numpy as np
import pytest

from interest_model.config import Config
from interest_model.data import (build_vocabularies, cold_scene_flags, make_split, read_event_log,
                                 training_windows, user_histories)


def rows_used_for_training(split, length):
    windows = training_windows(split.train_sequences, length)
    return set(windows[windows >= 0].tolist())


@pytest.mark.parametrize("split_name", ["leave_one_out", "time"])
def test_held_out_events_never_reach_training(tiny_log_path, split_name):
    log = read_event_log(tiny_log_path)
    config = Config(split=split_name, history_length=5)
    split = make_split(log, config)
    trained_on = rows_used_for_training(split, config.history_length)
    assert len(split.test.target_rows) > 0
    assert trained_on.isdisjoint(split.test.target_rows.tolist())
    assert trained_on.isdisjoint(split.validation.target_rows.tolist())
    # A test example's inputs are strictly earlier events of the same user.
    for target, history in zip(split.test.target_rows, split.test.history_rows):
        earlier = history[history >= 0]
        assert all(log.user_id[r] == log.user_id[target] for r in earlier)
        assert all(log.timestamp_ms[r] <= log.timestamp_ms[target] and r != target for r in earlier)


def test_leave_one_out_holds_out_the_last_two_events(tiny_log_path):
    log = read_event_log(tiny_log_path)
    split = make_split(log, Config(history_length=5))
    histories = user_histories(log)
    for target, validation in zip(split.test.target_rows, split.validation.target_rows):
        rows = histories[log.user_id[target]]
        assert (rows[-1], rows[-2]) == (target, validation)
    assert len(split.test.target_rows) == len(histories)


def test_time_split_is_one_cut_for_every_user(tiny_log_path):
    log = read_event_log(tiny_log_path)
    validation_time, test_time = (int(q) for q in np.quantile(log.timestamp_ms, [0.5, 0.75]))
    split = make_split(log, Config(split="time", validation_time_ms=validation_time, split_time_ms=test_time))
    trained_on = np.array(sorted(rows_used_for_training(split, 50)))
    assert log.timestamp_ms[trained_on].max() < validation_time
    validation_times = log.timestamp_ms[split.validation.target_rows]
    assert validation_times.min() >= validation_time and validation_times.max() < test_time
    assert log.timestamp_ms[split.test.target_rows].min() >= test_time
    # Each target is the user's first event in its period; its inputs are all the user's earlier events.
    histories = user_histories(log)
    for target, seen in zip(split.test.target_rows, split.test.seen_rows):
        rows = histories[log.user_id[target]]
        position = list(rows).index(target)
        assert list(seen) == list(rows[:position])
        assert position == 0 or log.timestamp_ms[rows[position - 1]] < test_time


def test_events_at_one_timestamp_are_ordered_independently_of_their_items(tmp_path):
    """Which of a user's simultaneous events is held out must not follow the item ids."""
    def held_out_rows(items):
        path = tmp_path / "log.csv"
        rows = ["timestamp_ms,user_id,item_id,scene,event_type", "1000,u,9,home,VIEW"]
        rows += [f"2000,u,{item},home,VIEW" for item in items]
        path.write_text("\n".join(rows) + "\n")
        split = make_split(read_event_log(str(path)), Config(tie_break_seed=3))
        return split.test.target_rows.tolist(), split.validation.target_rows.tolist()
    # The same rows with the item ids reversed are held out the same way.
    assert held_out_rows(["1", "2", "3", "4"]) == held_out_rows(["4", "3", "2", "1"])
    orders = {tuple(user_histories(read_event_log(str(tmp_path / "log.csv")), seed)["u"]) for seed in range(8)}
    assert len(orders) > 1  # the order comes from the seed, not from the log's item-id order


def test_item_vocabulary_comes_from_training_events_only(tiny_log_path):
    log = read_event_log(tiny_log_path)
    split = make_split(log, Config())
    vocabularies = build_vocabularies(log, split)
    train_items = {log.item_id[r] for seq in split.train_sequences for r in seq}
    assert set(vocabularies.items.tokens[2:]) == train_items
    assert vocabularies.items.index("never seen item") == 1


def test_cold_scene_flag_marks_first_visit_with_history_elsewhere(tiny_log_path):
    log = read_event_log(tiny_log_path)
    split = make_split(log, Config())
    flags = cold_scene_flags(log, split.test)
    for flag, target, seen in zip(flags, split.test.target_rows, split.test.seen_rows):
        assert flag == (len(seen) > 0 and log.scene[target] not in {log.scene[r] for r in seen})
