import json

import pytest

from interest_model.config import Config
from interest_model.protocol import NEURAL_METHODS, parse_grid, run_protocol

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
