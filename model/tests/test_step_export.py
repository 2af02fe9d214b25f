import json

import numpy as np
import onnx
import pytest
import torch

from interest_model.config import Config
from interest_model.cost import cache_bytes_per_user, step_cost
from interest_model.pipeline import prepare
from interest_model.step_export import (CONTRACT, CONTRACT_VERSION, INPUT_NAMES, OUTPUT_NAMES, StepGraph,
                                        example_inputs, write_step_directory)
from interest_model.streaming_model import StreamingInterestModel

CONFIG = Config(history_length=10, encoder_window=3, dim=16, cache_dim=8, dropout=0.0)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """An untrained model of the tiny log's vocabularies, exported: the contract does not depend on training."""
    from conftest import TINY_LOG
    prepared = prepare(TINY_LOG, CONFIG)
    vocabularies = prepared.vocabularies
    torch.manual_seed(0)
    model = StreamingInterestModel(CONFIG, len(vocabularies.items), len(vocabularies.scenes),
                                   len(vocabularies.event_types)).eval()
    with torch.no_grad():
        model.readout_offset_bias.normal_()
        model.gap_weight.fill_(0.5)
    out = tmp_path_factory.mktemp("step")
    manifest = write_step_directory(model, prepared, str(out), {"split": CONFIG.split})
    return model, manifest, out


def signature(values):
    return {v.name: (v.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim])
            for v in values}


def test_the_step_graph_has_the_contracted_named_batched_interface(exported):
    _, manifest, out = exported
    graph = onnx.load(str(out / "step.onnx"))
    onnx.checker.check_model(graph, full_check=True)
    int64, float32 = onnx.TensorProto.INT64, onnx.TensorProto.FLOAT
    assert signature(graph.graph.input) == {
        "item": (int64, ["batch"]), "scene": (int64, ["batch"]), "event_type": (int64, ["batch"]),
        "window_item": (int64, ["batch", 3]), "window_scene": (int64, ["batch", 3]),
        "window_event_type": (int64, ["batch", 3]), "age_seconds": (float32, ["batch", 9]),
        "cache": (float32, ["batch", 9, 8]), "cache_mask": (float32, ["batch", 9]),
        "request_age_seconds": (float32, ["batch"])}
    # 3 scenes in the tiny log, then the scene-blind read-out.
    assert signature(graph.graph.output) == {
        "new_state": (float32, ["batch", 8]), "interests": (float32, ["batch", 4, 16]),
        "attention": (float32, ["batch", 4, 10]), "popularity_weight": (float32, ["batch", 4])}
    assert (manifest["contract"], manifest["contract_version"]) == (CONTRACT, CONTRACT_VERSION)
    assert manifest["queries"] == ["home", "search", "video", "(scene-blind)"]
    assert list(manifest["step"]["inputs"]) == INPUT_NAMES and list(manifest["step"]["outputs"]) == OUTPUT_NAMES


def test_the_traced_step_gives_the_eager_numbers_for_another_batch_size(exported):
    model, _, _ = exported
    graph = StepGraph(model).eval()
    traced = torch.jit.trace(graph, example_inputs(model, 2))
    generator = torch.Generator().manual_seed(3)
    batch = 5
    inputs = list(example_inputs(model, batch))
    for i in range(6):
        inputs[i] = torch.randint(1, 4, inputs[i].shape, generator=generator)
    inputs[6] = torch.rand(inputs[6].shape, generator=generator) * 1e5
    inputs[7] = torch.randn(inputs[7].shape, generator=generator)
    inputs[8] = (torch.rand(inputs[8].shape, generator=generator) > 0.3).float()
    inputs[9] = torch.rand(inputs[9].shape, generator=generator) * 1e6
    for name, eager, replayed in zip(OUTPUT_NAMES, graph(*inputs), traced(*inputs)):
        assert torch.allclose(eager, replayed, atol=1e-6), name


def test_golden_streams_cover_a_sliding_window_a_late_event_and_a_first_event(exported):
    _, _, out = exported
    golden = json.loads((out / "golden_streams.json").read_text())
    assert golden["tolerance"] == 1e-4
    sliding, late, first = golden["streams"]
    assert len(sliding["steps"]) > CONFIG.history_length + CONFIG.encoder_window
    assert [s["late"] for s in late["steps"]].count(True) == 1
    assert first["steps"][0]["event"]["item"] == 1 and first["steps"][0]["event"]["scene"] == 1
    step = sliding["steps"][-1]["expected"]
    assert len(step["attention"]) == 4 and len(step["attention"][0]) == CONFIG.history_length
    assert all(sum(row) == pytest.approx(1.0, abs=1e-5) for row in step["attention"])
    ages = [s["request_age_seconds"] for stream in golden["streams"] for s in stream["steps"]]
    assert 0.0 in ages and max(ages) > 86400.0  # at the event, as the job asks, and days later


def multiply_adds_in_graph(path):
    """Sum of the MatMul and Gemm products of the graph at batch 1 (shapes by ONNX shape inference)."""
    graph = onnx.load(path)
    for value in graph.graph.input:
        value.type.tensor_type.shape.dim[0].dim_value = 1
    graph = onnx.shape_inference.infer_shapes(graph, strict_mode=True)
    # Axes shape inference leaves symbolic all derive from the batch axis: 1 here.
    shapes = {v.name: [d.dim_value or 1 for d in v.type.tensor_type.shape.dim]
              for v in list(graph.graph.value_info) + list(graph.graph.input) + list(graph.graph.output)}
    shapes.update({t.name: list(t.dims) for t in graph.graph.initializer})
    total = 0
    for node in graph.graph.node:
        if node.op_type == "MatMul":
            left, right = shapes[node.input[0]], shapes[node.input[1]]
            rows = 1
            for size in left[:-1]:
                rows *= size
            total += rows * left[-1] * right[-1]
        elif node.op_type == "Gemm":
            left, right = shapes[node.input[0]], shapes[node.input[1]]
            total += left[0] * left[1] * (right[0] if any(a.name == "transB" and a.i for a in node.attribute)
                                          else right[1])
    return total


def test_the_counted_cost_is_what_the_exported_graph_multiplies(exported):
    _, manifest, out = exported
    counted = step_cost(CONFIG, num_scenes=3)
    assert multiply_adds_in_graph(str(out / "step.onnx")) == counted.multiply_adds
    assert manifest["cost"]["multiply_adds_at_L10"] == counted.multiply_adds


def test_cost_at_the_default_size_meets_the_budget():
    config = Config()
    at_50, at_200 = (step_cost(config, num_scenes=5, history_length=length).multiply_adds for length in (50, 200))
    assert at_50 <= 100_000 and at_200 <= 2 * at_50
    assert cache_bytes_per_user(config, 50)["cache"] == 49 * 16 * 4


def test_the_popularity_the_blend_reads_is_exported_per_vocabulary_index(exported):
    _, manifest, out = exported
    table = np.fromfile(out / manifest["popularity"]["item_log_shares"], dtype="<f4")
    assert table.shape == (manifest["num_items"],)
    floor = manifest["popularity"]["floor_share_of_uniform"] / (manifest["num_items"] - 2)
    shares = np.exp(table.astype(np.float64)) - floor
    assert np.allclose(shares[:2], 0.0, atol=1e-9)  # padding and unknown: the floor, like an unseen item
    assert shares[2:].sum() == pytest.approx(1.0, abs=1e-5)
    lists = json.loads((out / manifest["popularity"]["scene_lists"]).read_text())
    assert set(lists) == {"home", "search", "video"}
    assert all(entry["count"] > 0 for entries in lists.values() for entry in entries)


def test_the_export_step_command_trains_and_writes_a_directory_the_job_loads(tmp_path):
    from conftest import TINY_LOG
    from interest_model.__main__ import main
    out = tmp_path / "model"
    main(["export-step", "--log", TINY_LOG, "--run", str(tmp_path / "run"), "--out", str(out),
          "--set", "protocol=request_scene", "history_length=10", "encoder_window=3", "dim=16", "cache_dim=8",
          "epochs=1", "eval_every=1", "batch_size=8"])
    manifest = json.loads((out / "manifest.json").read_text())
    for name in ["step.onnx", "golden_streams.json", "items.json", "scenes.json", "event_types.json",
                 manifest["item_embeddings"]["file"], manifest["popularity"]["item_log_shares"],
                 manifest["popularity"]["scene_lists"]]:
        assert (out / name).stat().st_size > 0, name
    assert manifest["model_version"].startswith("streaming-")
    assert manifest["scene_queries_trained"] is True
    assert manifest["training"]["protocol"] == "request_scene"
    assert 0.0 <= manifest["training"]["validation_NDCG@10"] <= 1.0
    assert (tmp_path / "run" / "log.txt").stat().st_size > 0
    assert (tmp_path / "run" / "weights.pt").stat().st_size > 0


def test_the_manifest_gives_the_model_quality_on_its_own_log_for_the_job_to_compare_with(exported):
    from conftest import TINY_LOG
    from interest_model.data import read_event_log
    _, manifest, _ = exported
    log = read_event_log(TINY_LOG)
    quality = manifest["offline_quality"]
    assert (quality["log_sha256"], quality["events"], quality["k"]) == (log.sha256, len(log), 10)
    # Every event but each user's first in each of its scenes is scored against an earlier list.
    first_in_scene = len(set(zip(log.user_id, log.scene)))
    assert quality["evaluated"] == len(log) - first_in_scene
    assert 0.0 < quality["NDCG@10"] <= quality["HR@10"] <= 1.0


def test_the_golden_popularity_holds_a_quiet_spell_unknown_items_and_the_shares_of_each_request(exported):
    _, manifest, out = exported
    golden = json.loads((out / "golden_streams.json").read_text())["popularity"]
    assert manifest["popularity"]["source"] == "live" and manifest["popularity"]["delay_ms"] == 600_000
    times = [e["time_ms"] for e in golden["events"]]
    assert max(np.diff(times)) > 120 * 86400_000
    assert any(e["item"].startswith("not-in-vocabulary") for e in golden["events"])
    requests = golden["requests"]
    assert len(requests) == 12 and all(r["boundary_ms"] % 900_000 == 0 for r in requests)
    for request in requests:
        shares = np.exp(np.array(list(request["log_shares"].values()), dtype=np.float64))
        floor = np.exp(golden["floor"])
        # The listed items hold the whole share; every other item has the floor alone.
        assert shares.sum() - floor * len(shares) == pytest.approx(1.0, abs=1e-4)


def test_the_golden_popularity_lists_each_scenes_items_for_a_new_user_and_every_scenes_for_another(exported):
    _, manifest, out = exported
    golden = json.loads((out / "golden_streams.json").read_text())["popularity"]
    assert manifest["popularity"]["new_user"] == "live"
    assert golden["new_user_top_k"] == manifest["popularity"]["new_user_top_k"]
    scenes = {e["scene"] for e in golden["events"]}
    assert "not-a-scene" in scenes and len(scenes) > 2
    for request in golden["requests"]:
        before = [e for e in golden["events"] if e["time_ms"] < request["boundary_ms"]]
        lists = request["new_user"]
        for scene, items in lists["scenes"].items():
            # Only items with an event in the scene before the boundary, each once.
            assert set(items) <= {e["item"] for e in before if e["scene"] == scene}
            assert len(set(items)) == len(items)
        assert not any(item.startswith("not-in-vocabulary") for item in lists["other_scene"])
    # Somewhere a scene's list differs from the one over every scene.
    assert any(items != r["new_user"]["other_scene"] for r in golden["requests"]
               for items in r["new_user"]["scenes"].values() if items)
