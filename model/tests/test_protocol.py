import json

import pytest

from interest_model.config import Config
from interest_model.protocol import NEURAL_METHODS, method_grids, parse_grid, run_protocol

TINY = Config(history_length=8, encoder_window=3, dim=16, cache_dim=8, epochs=1, eval_every=1, batch_size=8)


def test_a_grid_expands_to_every_combination():
    assert parse_grid(["dropout=0.1,0.3", "dim=8"]) == [["dropout=0.1", "dim=8"], ["dropout=0.3", "dim=8"]]
    assert parse_grid([]) == [[]]


@pytest.mark.parametrize("protocol", ["scene_blind", "request_scene"])
def test_every_method_is_tuned_alike_then_run_per_seed(tiny_log_path, tmp_path, protocol):
    data = run_protocol(tiny_log_path, TINY.replace(protocol=protocol), [1, 2], parse_grid(["dropout=0.1,0.3"]),
                        list(NEURAL_METHODS), str(tmp_path))
    results = data["results"]
    assert set(NEURAL_METHODS) < set(results) and len(results) == len(NEURAL_METHODS) + 3
    for name in NEURAL_METHODS:
        tried = results[name]["tuning"]
        assert [t["settings"] for t in tried] == [["dropout=0.1"], ["dropout=0.3"]]
        best = max(tried, key=lambda t: t["validation_NDCG@10"])
        assert results[name]["settings"] == best["settings"]
        runs = results[name]["runs"]
        assert [r["seed"] for r in runs] == [1, 2]
        assert runs[0]["validation_NDCG@10"] == best["validation_NDCG@10"]
        assert all(0.0 <= r["test"]["overall"]["NDCG@10"] <= 1.0 for r in runs)
    assert len(results["global popularity"]["runs"]) == 1  # nothing seeded or tuned
    assert json.loads((tmp_path / "results.json").read_text())["protocol"] == protocol
    summary = (tmp_path / "summary.md").read_text()
    assert f"protocol `{protocol}`" in summary and "| streaming model | " in summary and " ± " in summary


def test_a_method_may_have_its_own_grid_of_the_same_size_and_only_of_the_same_size(tiny_log_path, tmp_path):
    shared = parse_grid(["dropout=0.1,0.3"])
    own = {"streaming model": parse_grid(["staleness_prior=0,3"])}
    data = run_protocol(tiny_log_path, TINY, [1], shared, ["SASRec-style", "streaming model"], str(tmp_path), own)
    assert [t["settings"] for t in data["results"]["streaming model"]["tuning"]] == [["staleness_prior=0"],
                                                                                     ["staleness_prior=3"]]
    assert [t["settings"] for t in data["results"]["SASRec-style"]["tuning"]] == [["dropout=0.1"], ["dropout=0.3"]]
    with pytest.raises(ValueError, match="same tuning budget"):
        method_grids(shared, {"streaming model": parse_grid(["staleness_prior=0,1,3"])}, list(NEURAL_METHODS))
