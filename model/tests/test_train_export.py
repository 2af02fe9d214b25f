import json
import os

import numpy as np
import onnx
import torch

from interest_model.config import Config
from interest_model.export import INPUT_NAMES, OUTPUT_NAMES, PredictGraph, export_model_directory
from interest_model.pipeline import benchmark

TINY_CONFIG = Config(history_length=8, dim=16, epochs=1, eval_every=1, batch_size=8, popularity_top_k=5,
                     architecture="full_attention", protocol="request_scene")


def test_one_epoch_trains_reports_and_exports(tiny_log_path, tmp_path):
    run_dir, model_dir = tmp_path / "run", tmp_path / "model"
    metrics, model, prepared = benchmark(tiny_log_path, TINY_CONFIG, str(run_dir))
    for name in ("config.json", "log.txt", "metrics.json", "report.md", "quality.png", "decay_curves.png"):
        assert (run_dir / name).stat().st_size > 0, name
    methods = metrics["results"]
    assert {"interest model", "SASRec-style", "global popularity", "scene popularity"} <= set(methods)
    assert 0.0 <= methods["interest model"]["overall"]["NDCG@10"] <= 1.0
    assert set(metrics["half_lives_hours"]) == {"home", "search", "video"}

    manifest = export_model_directory(model, prepared, metrics, str(model_dir))
    items = json.load(open(model_dir / "items.json"))
    scenes = json.load(open(model_dir / "scenes.json"))
    assert items[:2] == ["<pad>", "<unknown>"] and len(items) == manifest["num_items"]
    assert scenes[2:] == ["home", "search", "video"] and manifest["num_scenes"] == 3
    embeddings = np.fromfile(model_dir / "item_embeddings.f32", dtype="<f4")
    assert embeddings.size == manifest["num_items"] * manifest["dim"] == np.prod(manifest["item_embeddings"]["shape"])
    assert np.allclose(embeddings.reshape(-1, 16)[5], model.item_embedding.weight[5].detach().numpy())
    half_lives = json.load(open(model_dir / "half_lives.json"))["half_lives"]
    assert [h["scene"] for h in half_lives] == ["home", "search", "video"]
    assert half_lives[0]["half_life_seconds"] == np.float32(metrics["half_lives_hours"]["home"] * 3600)
    popularity = json.load(open(model_dir / "popularity.json"))
    assert all(items[entry["index"]] == entry["item"] for entry in popularity["home"])
    assert len(json.load(open(model_dir / "golden.json"))["cases"]) >= 3


def test_onnx_graph_has_the_contracted_interface(tiny_log_path, tmp_path):
    _, model, prepared = benchmark(tiny_log_path, TINY_CONFIG, str(tmp_path / "run"), with_sasrec=False)
    export_model_directory(model, prepared, {}, str(tmp_path / "model"))
    graph = onnx.load(str(tmp_path / "model" / "model.onnx"))
    onnx.checker.check_model(graph, full_check=True)
    assert max(o.version for o in graph.opset_import if o.domain in ("", "ai.onnx")) <= 17

    def signature(values):
        return {v.name: (v.type.tensor_type.elem_type,
                         [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]) for v in values}
    int64, float32 = onnx.TensorProto.INT64, onnx.TensorProto.FLOAT
    assert signature(graph.graph.input) == {
        "item": (int64, ["batch", 8]), "scene": (int64, ["batch", 8]),
        "event_type": (int64, ["batch", 8]), "age_seconds": (float32, ["batch", 8])}
    assert signature(graph.graph.output) == {
        "interests": (float32, ["batch", 3, 16]), "attention": (float32, ["batch", 3, 8])}


def test_traced_graph_matches_eager_model_on_another_batch_size(tiny_log_path, tmp_path):
    """The tracer that builds the ONNX graph gives the eager numbers for any batch size.

    Java's ONNX Runtime parity is DefaultModelParityTest in flink-job.
    """
    _, model, prepared = benchmark(tiny_log_path, TINY_CONFIG, str(tmp_path / "run"), with_sasrec=False)
    graph = PredictGraph(model).eval()
    generator = torch.Generator().manual_seed(1)

    def inputs(batch):
        item = torch.randint(0, prepared.dataset.num_items, (batch, 8), generator=generator)
        item[:, :3] = 0
        scene = torch.randint(2, prepared.dataset.num_scenes, (batch, 8), generator=generator) * (item > 0)
        event_type = torch.randint(1, 8, (batch, 8), generator=generator) * (item > 0)
        age = torch.rand(batch, 8, generator=generator) * 1e6 * (item > 0)
        return item, scene, event_type, age
    traced = torch.jit.trace(graph, inputs(2))
    fresh = inputs(5)
    for name, eager, replayed in zip(OUTPUT_NAMES, graph(*fresh), traced(*fresh)):
        assert torch.allclose(eager, replayed, atol=1e-6), name
    assert INPUT_NAMES == ["item", "scene", "event_type", "age_seconds"]
