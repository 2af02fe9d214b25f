"""Reading event logs, vocabularies, per-user histories and train/test splits.

Every event keeps its row number in the log, so tests can prove which events
a split lets the model see.
"""
import csv
import hashlib
from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np

PAD = "<pad>"
UNKNOWN = "<unknown>"
# Index 0 = padding, 1 = anything not seen in training, 2.. = known tokens.
PAD_INDEX, UNKNOWN_INDEX, FIRST_TOKEN_INDEX = 0, 1, 2
# The InteractionEvent enum, in its order; fixed so exports stay compatible.
EVENT_TYPES = ["UNKNOWN", "VIEW", "CLICK", "LIKE", "CART", "PURCHASE"]
EVENT_LOG_HEADER = ["timestamp_ms", "user_id", "item_id", "scene", "event_type"]


@dataclass
class EventLog:
    timestamp_ms: np.ndarray  # int64 [N]
    user_id: List[str]
    item_id: List[str]
    scene: List[str]
    event_type: List[str]
    sha256: str

    def __len__(self):
        return len(self.timestamp_ms)


def read_event_log(path: str) -> EventLog:
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != EVENT_LOG_HEADER:
            raise ValueError(f"{path}: header {header} is not {EVENT_LOG_HEADER}")
        rows = list(reader)
    timestamps = np.array([int(r[0]) for r in rows], dtype=np.int64)
    if np.any(np.diff(timestamps) < 0):
        raise ValueError(f"{path}: events are not sorted by time")
    return EventLog(timestamps, [r[1] for r in rows], [r[2] for r in rows],
                    [r[3] for r in rows], [r[4] for r in rows], digest)


class Vocabulary:
    """Tokens in index order: padding, unknown, then known tokens."""

    def __init__(self, tokens):
        self.tokens = [PAD, UNKNOWN] + list(tokens)
        self._index = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self):
        return len(self.tokens)

    def index(self, token: str) -> int:
        return self._index.get(token, UNKNOWN_INDEX)

    def indices(self, tokens) -> np.ndarray:
        return np.array([self.index(t) for t in tokens], dtype=np.int64)


@dataclass
class Examples:
    """Prediction examples: target event rows and their input history rows."""
    target_rows: np.ndarray   # int64 [E]
    history_rows: np.ndarray  # int64 [E, L], left-padded with -1
    # Rows of the user's whole history before the target (not only the last
    # L): the items excluded from the ranking.
    seen_rows: List[np.ndarray]


@dataclass
class Split:
    train_sequences: List[np.ndarray]  # per user: event rows the model trains on, time order
    validation: Examples
    test: Examples


def user_histories(log: EventLog, tie_break_seed: int = 0) -> Dict[str, np.ndarray]:
    """Rows of each user's events in time order.

    The log orders a user's events with the same timestamp by item id, so
    which of them is held out would depend on the item id (on MovieLens, 44%
    of users have their last two events at one timestamp). Here such ties
    are ordered by a pseudo-random key drawn once per row from
    `tie_break_seed`, independent of the item.
    """
    tie_key = np.random.default_rng(tie_break_seed).random(len(log))
    rows: Dict[str, List[int]] = {}
    for row, user in enumerate(log.user_id):
        rows.setdefault(user, []).append(row)
    return {u: np.array(sorted(r, key=lambda row: (log.timestamp_ms[row], tie_key[row])), dtype=np.int64)
            for u, r in rows.items()}


def left_padded(rows: np.ndarray, length: int) -> np.ndarray:
    out = np.full(length, -1, dtype=np.int64)
    tail = rows[-length:]
    if len(tail):
        out[length - len(tail):] = tail
    return out


def make_examples(pairs, length: int) -> Examples:
    """`pairs`: (user's rows, position of the target in them)."""
    targets, histories, seen = [], [], []
    for rows, position in pairs:
        targets.append(rows[position])
        histories.append(left_padded(rows[:position], length))
        seen.append(rows[:position])
    return Examples(np.array(targets, dtype=np.int64),
                    np.array(histories, dtype=np.int64).reshape(-1, length), seen)


def split_leave_one_out(log: EventLog, length: int, tie_break_seed: int) -> Split:
    """Last event per user = test, second-last = validation, the rest = training.

    Users with fewer than 3 events only contribute training events.
    """
    train, validation, test = [], [], []
    for rows in user_histories(log, tie_break_seed).values():
        if len(rows) < 3:
            train.append(rows)
            continue
        train.append(rows[:-2])
        validation.append((rows, len(rows) - 2))
        test.append((rows, len(rows) - 1))
    return Split(train, make_examples(validation, length), make_examples(test, length))


def split_by_time(log: EventLog, length: int, tie_break_seed: int,
                  validation_time_ms: Optional[int], test_time_ms: Optional[int]) -> Split:
    """Global time split, time-causal across users.

    Training: every event before the validation time. Validation: each
    user's first event in [validation time, test time). Test: each user's
    first event at or after the test time. Examples see all of the user's
    earlier events as input (for test that includes the validation period,
    which the model never trained on). Defaults: the 80% and 90% quantiles
    of all timestamps.
    """
    if validation_time_ms is None:
        validation_time_ms = int(np.quantile(log.timestamp_ms, 0.8))
    if test_time_ms is None:
        test_time_ms = int(np.quantile(log.timestamp_ms, 0.9))
    if not validation_time_ms < test_time_ms:
        raise ValueError(f"validation time {validation_time_ms} must be before test time {test_time_ms}")
    train, validation, test = [], [], []
    for rows in user_histories(log, tie_break_seed).values():
        times = log.timestamp_ms[rows]
        first_validation = int(np.searchsorted(times, validation_time_ms, side="left"))
        first_test = int(np.searchsorted(times, test_time_ms, side="left"))
        train.append(rows[:first_validation])
        if first_validation < first_test:
            validation.append((rows, first_validation))
        if first_test < len(rows):
            test.append((rows, first_test))
    return Split(train, make_examples(validation, length), make_examples(test, length))


def make_split(log: EventLog, config) -> Split:
    if config.split == "leave_one_out":
        return split_leave_one_out(log, config.history_length, config.tie_break_seed)
    if config.split == "time":
        return split_by_time(log, config.history_length, config.tie_break_seed,
                             config.validation_time_ms, config.split_time_ms)
    raise ValueError(f"unknown split {config.split!r}")


def training_windows(sequences: List[np.ndarray], length: int, context: int = 0) -> np.ndarray:
    """Cut training sequences into windows of context+L+1 rows; the last L+1 give inputs and targets.

    Windows end at the sequence end, then every L events earlier, so every
    event after a user's first is a target exactly once. The `context` rows
    before them are input only: they give a band-causal encoder the earlier
    events its first targets attend to. Left-padded with -1.
    """
    windows = []
    span = context + length + 1
    for rows in sequences:
        end = len(rows)
        while end >= 2:
            windows.append(left_padded(rows[max(0, end - span):end], span))
            end -= length
    return np.array(windows, dtype=np.int64).reshape(-1, span)


@dataclass
class Vocabularies:
    items: Vocabulary
    scenes: Vocabulary
    event_types: Vocabulary

    @property
    def scene_names(self) -> List[str]:
        """Scenes in the order of the model's scene axis."""
        return self.scenes.tokens[FIRST_TOKEN_INDEX:]


def build_vocabularies(log: EventLog, split: Split) -> Vocabularies:
    """Items from training events only (others map to unknown); all scenes in the log."""
    train_rows = np.concatenate(split.train_sequences) if split.train_sequences else np.zeros(0, int)
    train_items = sorted({log.item_id[r] for r in train_rows}, key=_natural_key)
    scenes = sorted(set(log.scene), key=_natural_key)
    return Vocabularies(Vocabulary(train_items), Vocabulary(scenes), Vocabulary(EVENT_TYPES))


def _natural_key(token: str):
    return (0, int(token), "") if token.isdigit() else (1, 0, token)


@dataclass
class EncodedLog:
    """The log as index arrays; row -1 (padding) maps to the extra last entry."""
    item: np.ndarray
    scene: np.ndarray
    event_type: np.ndarray
    timestamp_ms: np.ndarray

    def gather(self, rows: np.ndarray):
        """Features for rows (any shape); -1 gives padding (index 0, time 0)."""
        return (self.item[rows], self.scene[rows], self.event_type[rows], self.timestamp_ms[rows])


def encode_log(log: EventLog, vocabularies: Vocabularies) -> EncodedLog:
    def with_padding(values, pad_value):
        return np.append(values, pad_value)
    return EncodedLog(
        with_padding(vocabularies.items.indices(log.item_id), PAD_INDEX),
        with_padding(vocabularies.scenes.indices(log.scene), PAD_INDEX),
        with_padding(vocabularies.event_types.indices(log.event_type), PAD_INDEX),
        with_padding(log.timestamp_ms, 0))


def cold_scene_flags(log: EventLog, examples: Examples) -> np.ndarray:
    """True where the target is the user's first event in its scene but they have history elsewhere."""
    flags = []
    for target, seen in zip(examples.target_rows, examples.seen_rows):
        scene = log.scene[target]
        flags.append(len(seen) > 0 and all(log.scene[r] != scene for r in seen))
    return np.array(flags, dtype=bool)
