"""The streaming model's prequential quality on a whole stream, served as the job serves it: the
offline figure the job's online quality is compared with (the Java `local` command scores the job's
own recommendations with org.interesttracker.local.PrequentialEvaluation, the same protocol).

After each event the user gets a top-K list for that event's scene:
- read with the scene's query (the scene-blind one when the scene read-outs were not trained),
  each item scored interest . embedding + w x its log popularity share, from the exported table or
  from the live snapshot the event's time reads, as the job serves the model;
- never an item among the known items of the user's kept events (the newest L - 1 + W, the new one
  included);
- the scene's popularity list instead, when the kept events before the new one hold no known item
  (the job's NEW_USER): of the live snapshot the event's time reads, or of training counts.
The list is scored against the user's next event in the same scene: a hit when that event's item is
in it, with gain 1 / log2(position + 2).

Each user's events are read out at once, in chunks (`forward_sequence`), which the tests prove equal
to the job's event-by-event step.
"""
import math
from typing import Dict, List

import numpy as np
import torch

from .data import FIRST_TOKEN_INDEX, EncodedLog, EventLog
from .streaming_model import StreamingInterestModel

CHUNK_EVENTS = 512


class PrequentialScore:
    """Hit rate and NDCG at K of each (user, scene)'s latest list against that pair's next event."""

    def __init__(self):
        self.latest: Dict[tuple, List[int]] = {}
        self.evaluated = 0
        self.hits = 0
        self.gains = 0.0

    def observe(self, user: str, scene: int, item: int, recommended: List[int]):
        """An event of `user` in `scene`, scored against the pair's latest list, then `recommended` replaces it."""
        previous = self.latest.get((user, scene))
        if previous is not None:
            self.evaluated += 1
            if item in previous:
                self.hits += 1
                self.gains += 1.0 / math.log2(previous.index(item) + 2)
        self.latest[(user, scene)] = recommended

    def figures(self, k: int) -> Dict:
        evaluated = max(self.evaluated, 1)
        return {"k": k, "evaluated": self.evaluated, f"HR@{k}": self.hits / evaluated,
                f"NDCG@{k}": self.gains / evaluated}


class FixedScenePopularity:
    """The exported lists of training counts: the same list at every time."""

    def __init__(self, lists: Dict[int, List[int]]):
        self.lists = lists  # per scene vocabulary index, item vocabulary indices, most popular first

    def at(self, scene: int, time_ms: int) -> List[int]:
        return self.lists.get(scene, [])


class ServedRecommender:
    """What the job recommends after each of one user's events, from the model and the exported tables."""

    def __init__(self, model: StreamingInterestModel, popularity, scene_popular, k: int,
                 scene_queries_trained: bool):
        """popularity: `at(times)` -> [T, candidates] log shares (live_popularity.FixedPopularity or
        LivePopularity); scene_popular: `at(scene, time)` -> item vocabulary indices, most popular
        first (FixedScenePopularity or live_popularity.LiveScenePopularity)."""
        self.model = model.eval()
        self.k = k
        self.scene_popular = scene_popular
        self.scene_queries_trained = scene_queries_trained
        self.kept_events = model.config.history_length - 1 + model.config.encoder_window
        with torch.no_grad():
            self.embeddings = model.item_embedding.weight[FIRST_TOKEN_INDEX:].t().clone()
        self.popularity = popularity

    def query(self, scene: int) -> int:
        known = FIRST_TOKEN_INDEX <= scene < FIRST_TOKEN_INDEX + self.model.num_output_scenes
        return scene - FIRST_TOKEN_INDEX if known and self.scene_queries_trained else self.model.blind_query

    def scores(self, item, scene, event_type, time_ms) -> torch.Tensor:
        """[T, candidates] scores after each of a user's T events (numpy arrays in time order)."""
        context = self.kept_events
        chunks = []
        for start in range(0, len(item), CHUNK_EVENTS):
            # An output reads L cached vectors, each made from its event and W before it.
            first, end = max(0, start - context), min(len(item), start + CHUNK_EVENTS)
            columns = [torch.from_numpy(np.ascontiguousarray(c[first:end])).unsqueeze(0)
                       for c in (item, scene, event_type, time_ms)]
            queries = torch.tensor([[self.query(s) for s in scene[first:end]]])
            with torch.no_grad():
                interests, weight = self.model.forward_sequence(*columns, queries)
            shares = torch.from_numpy(np.ascontiguousarray(self.popularity.at(time_ms[start:end])))
            chunks.append(interests[0, start - first:] @ self.embeddings + weight[0, start - first:].unsqueeze(-1) * shares)
        return torch.cat(chunks)

    def recommend(self, item, scene, event_type, time_ms) -> List[List[int]]:
        """The top-K item vocabulary indices after each of a user's events."""
        scores = self.scores(item, scene, event_type, time_ms)
        lists = []
        for position in range(len(item)):
            kept = item[max(0, position + 1 - self.kept_events):position + 1]
            seen = {int(i) for i in kept if i >= FIRST_TOKEN_INDEX}
            if not np.any(kept[:-1] >= FIRST_TOKEN_INDEX):
                popular = self.scene_popular.at(int(scene[position]), int(time_ms[position]))
                lists.append([i for i in popular if i not in seen][:self.k])
                continue
            row = scores[position].clone()
            row[[i - FIRST_TOKEN_INDEX for i in seen]] = -math.inf
            lists.append([int(i) + FIRST_TOKEN_INDEX for i in torch.topk(row, self.k).indices])
        return lists


def prequential_quality(recommender: ServedRecommender, log: EventLog, encoded: EncodedLog) -> Dict:
    """The recommender's prequential figures over the whole log, with the log's fingerprint."""
    rows_of_user: Dict[str, List[int]] = {}
    for row, user in enumerate(log.user_id):
        rows_of_user.setdefault(user, []).append(row)  # log order: the order the job receives them in
    score = PrequentialScore()
    for user, rows in rows_of_user.items():
        item, scene, event_type, time_ms = encoded.gather(np.array(rows))
        for position, recommended in enumerate(recommender.recommend(item, scene, event_type, time_ms)):
            score.observe(user, int(scene[position]), int(item[position]), recommended)
    return {"log_sha256": log.sha256, "events": len(log)} | score.figures(recommender.k)
