import math

import numpy as np
import pytest
import torch

from interest_model import prequential
from interest_model.data import FIRST_TOKEN_INDEX, EncodedLog, EventLog
from interest_model.incremental import Event, IncrementalUser
from interest_model.live_popularity import FixedPopularity, LivePopularity, LiveScenePopularity, PopularityRule
from interest_model.prequential import FixedScenePopularity, PrequentialScore, ServedRecommender, prequential_quality
from test_streaming_model import NUM_ITEMS, NUM_SCENES, make_model, random_events

K = 4
POPULAR = {2: [5, 3, 9, 7, 11], 3: [8, 5, 2], 4: [13, 4, 6, 10, 12]}


def served(model, popularity=None):
    log_shares = np.log(np.linspace(0.01, 1.0, NUM_ITEMS)).astype(np.float32)
    return ServedRecommender(model, popularity or FixedPopularity(log_shares[FIRST_TOKEN_INDEX:]),
                             FixedScenePopularity(POPULAR), K,
                             scene_queries_trained=True)


def live_popularity_of(events):
    """Live popularity over the events themselves, hourly snapshots: the shares move as they come."""
    encoded = EncodedLog(*(np.append(np.array([getattr(e, f) for e in events]), 0)
                           for f in ("item", "scene", "event_type", "time_ms")))
    rule = PopularityRule(half_life_hours=2.0, interval_ms=3600_000, min_weight=0.01, delay_ms=600_000)
    return LivePopularity(encoded, NUM_ITEMS, rule, encoded.timestamp_ms[:-1])


def columns(events):
    return tuple(np.array([getattr(e, f) for e in events]) for f in ("item", "scene", "event_type", "time_ms"))


def stepped_lists(recommender, model, events):
    """The job's rules applied event by event to the step form (the job's path), not the sequence form."""
    user, kept, lists = IncrementalUser(model), recommender.kept_events, []
    embeddings = model.item_embedding.weight[FIRST_TOKEN_INDEX:].detach()
    for position, event in enumerate(events):
        outputs = user.add(event)
        window = [e.item for e in events[max(0, position + 1 - kept):position + 1]]
        seen = {i for i in window if i >= FIRST_TOKEN_INDEX}
        if not any(i >= FIRST_TOKEN_INDEX for i in window[:-1]):
            lists.append([i for i in POPULAR[event.scene] if i not in seen][:K])
            continue
        query = event.scene - FIRST_TOKEN_INDEX
        shares = torch.from_numpy(recommender.popularity.at(np.array([event.time_ms]))[0])
        scores = (embeddings @ outputs.interests[query] + outputs.popularity_weight[query] * shares).tolist()
        ranked = sorted((i for i in range(len(scores)) if i + FIRST_TOKEN_INDEX not in seen), key=lambda i: -scores[i])
        lists.append([i + FIRST_TOKEN_INDEX for i in ranked[:K]])
    return lists


@pytest.mark.parametrize("live", [False, True])
def test_the_lists_read_at_once_in_chunks_equal_the_job_step_event_by_event(monkeypatch, live):
    monkeypatch.setattr(prequential, "CHUNK_EVENTS", 7)  # several chunks, each needing its context
    model = make_model()
    events = random_events(40, seed=3)
    recommender = served(model, live_popularity_of(events) if live else None)
    lists = recommender.recommend(*columns(events))
    assert lists == stepped_lists(recommender, model, events)
    assert recommender.kept_events == 8  # L - 1 + W: short enough that the kept window slides here


def test_a_user_with_no_known_item_before_the_event_gets_the_scene_popularity_list_less_what_is_seen():
    model = make_model()
    unknown_first = [Event(item, 2, 3, 1_700_000_000_000 + 60_000 * n) for n, item in enumerate([1, 5, 9])]
    lists = served(model).recommend(*columns(unknown_first))
    assert lists[0] == [5, 3, 9, 7]
    assert lists[1] == [3, 9, 7, 11]  # item 5 is now seen
    assert 5 not in lists[2] and 9 not in lists[2] and len(lists[2]) == K  # the model's own list


def test_with_live_lists_a_new_user_gets_the_scenes_list_of_the_snapshot_its_event_time_reads():
    model = make_model()
    crowd = random_events(60, seed=4)
    encoded = EncodedLog(*(np.append(c, 0) for c in columns(crowd)))
    rule = PopularityRule(half_life_hours=2.0, interval_ms=3600_000, min_weight=0.01, delay_ms=600_000)
    newcomer = [Event(1, 3, 3, crowd[-1].time_ms + n * 3600_000) for n in (-20, 0)]
    lists = LiveScenePopularity(encoded, NUM_ITEMS, NUM_SCENES, rule, np.array([e.time_ms for e in newcomer]), top_k=10)
    recommender = ServedRecommender(model, FixedPopularity(np.zeros(NUM_ITEMS - FIRST_TOKEN_INDEX, np.float32)),
                                    lists, K, scene_queries_trained=True)
    recommended = recommender.recommend(*columns(newcomer))
    assert recommended == [lists.at(3, e.time_ms)[:K] for e in newcomer]
    assert recommended[0] != recommended[1]  # the crowd's later events moved the list


def test_a_list_is_scored_against_the_next_event_of_its_user_in_its_scene():
    score = PrequentialScore()
    score.observe("u", 2, 10, [4, 5, 6])
    score.observe("u", 3, 5, [7])      # another scene: nothing of scene 3 to score yet
    score.observe("v", 2, 4, [1])      # another user
    score.observe("u", 2, 5, [8, 9])   # position 1 of u's scene-2 list: gain 1 / log2(3)
    score.observe("u", 3, 8, [])       # a miss against [7]
    score.observe("u", 2, 8, [])       # position 0 of [8, 9]: gain 1
    figures = score.figures(K)
    assert figures["evaluated"] == 3
    assert figures["HR@4"] == pytest.approx(2 / 3)
    assert figures["NDCG@4"] == pytest.approx((1 / math.log2(3) + 1) / 3)


def test_the_whole_log_figure_scores_every_user_in_log_order():
    model = make_model()
    a, b = random_events(12, seed=7), random_events(9, seed=8)
    merged = sorted([("a", e) for e in a] + [("b", e) for e in b], key=lambda pair: pair[1].time_ms)
    log = EventLog(np.array([e.time_ms for _, e in merged]), [u for u, _ in merged], [], [], [], "digest")
    encoded = EncodedLog(*(np.append(np.array([getattr(e, f) for _, e in merged]), 0)
                           for f in ("item", "scene", "event_type", "time_ms")))
    recommender = served(model)
    expected = PrequentialScore()
    for user, events in (("a", a), ("b", b)):
        for event, recommended in zip(events, stepped_lists(recommender, model, events)):
            expected.observe(user, event.scene, event.item, recommended)
    figures = prequential_quality(recommender, log, encoded)
    assert figures == {"log_sha256": "digest", "events": 21} | expected.figures(K)
    assert figures["evaluated"] > 10
