"""Protocol check on real data: popularity on MovieLens-100K under this protocol's tie-breaking.

Published figures for global popularity under full ranking (HR@10 about
0.05, NDCG@10 about 0.025) come from holding out, among a user's ratings
with the same timestamp, the one with the highest item id; on MovieLens
low ids are the more popular films, so that rule hides popular targets. With ties broken independently of the item (data.user_histories)
global popularity scores about 0.08 / 0.04. Skips when the shared data
folder is absent.
"""
import os

import pytest

from conftest import SHARED_DATA
from interest_model.config import Config
from interest_model.pipeline import baseline_scorers, prepare
from interest_model.evaluate import evaluate_scorer

RATINGS = os.path.join(SHARED_DATA, "movielens-100k", "u.data")


@pytest.mark.skipif(not os.path.exists(RATINGS), reason="shared MovieLens-100K data not present")
def test_movielens_global_popularity_with_item_independent_ties(tmp_path):
    # The Java `prepare` tool is the real converter; this minimal one (one
    # scene, every rating a CLICK) only feeds the protocol check.
    with open(RATINGS) as f:
        ratings = sorted((int(t) * 1000, int(u), int(i)) for u, i, _, t in (line.split() for line in f))
    log_path = tmp_path / "movielens.csv"
    with open(log_path, "w") as f:
        f.write("timestamp_ms,user_id,item_id,scene,event_type\n")
        f.writelines(f"{t},{u},{i},all,CLICK\n" for t, u, i in ratings)
    config = Config()
    prepared = prepare(str(log_path), config)
    scorer = baseline_scorers(prepared, config, prepared.test)["global popularity"]
    overall = evaluate_scorer(scorer, prepared.test, prepared.dataset.scene_names)["overall"]
    assert overall["n"] == 943
    assert overall["HR@10"] == pytest.approx(0.08, abs=0.01)
    assert overall["NDCG@10"] == pytest.approx(0.04, abs=0.005)
