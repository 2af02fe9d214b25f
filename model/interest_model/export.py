"""Export a trained model as a directory the Java job loads without Python.

Layout and formats are listed in model/README.md ("Model directory").
"""
import datetime
import json
import os
import sys
from typing import Dict, List

import numpy as np
import onnx
import torch
from torch import nn

from .data import FIRST_TOKEN_INDEX, PAD_INDEX, UNKNOWN_INDEX, left_padded
from .model import InterestModel
from .train import history_tensors, reference_times_ms

FORMAT_VERSION = 1
OPSET = 17
INPUT_NAMES = ["item", "scene", "event_type", "age_seconds"]
OUTPUT_NAMES = ["interests", "attention"]
ITEM_EMBEDDINGS_FILE = "item_embeddings.f32"
GOLDEN_TOLERANCE = 1e-5


class PredictGraph(nn.Module):
    """Wraps InterestModel.predict as forward, the function ONNX traces."""

    def __init__(self, model: InterestModel):
        super().__init__()
        self.model = model

    def forward(self, item, scene, event_type, age_seconds):
        return self.model.predict(item, scene, event_type, age_seconds)


def export_onnx(model: InterestModel, path: str, example_inputs):
    torch.onnx.export(
        PredictGraph(model).eval(), example_inputs, path, opset_version=OPSET,
        input_names=INPUT_NAMES, output_names=OUTPUT_NAMES,
        dynamic_axes={name: {0: "batch"} for name in INPUT_NAMES + OUTPUT_NAMES})
    graph = onnx.load(path)
    # The tracer leaves the output's fixed axes symbolic; state them so the
    # file itself documents [batch, S, d] and [batch, S, L].
    fixed = {"interests": (model.num_output_scenes, model.config.dim),
             "attention": (model.num_output_scenes, model.config.history_length)}
    for output in graph.graph.output:
        for dim, size in zip(output.type.tensor_type.shape.dim[1:], fixed[output.name]):
            dim.dim_value = size
    onnx.checker.check_model(graph, full_check=True)
    onnx.save(graph, path)


def golden_cases(model: InterestModel, prepared) -> List[Dict]:
    """Input batches with the PyTorch outputs, for the Java parity test.

    Cases: full histories from the test set; short histories (mostly
    padding); one user's events from a single scene (the others are cold);
    a newest event whose item and scene the vocabularies do not know.
    """
    length = model.config.history_length
    encoded, test = prepared.dataset.encoded, prepared.test
    examples = test.examples

    def inputs(history_rows, examples_chosen):
        reference = reference_times_ms(model.config, encoded, history_rows, test.query_time_ms[examples_chosen])
        return history_tensors(encoded, history_rows, reference)

    lengths = np.array([len(s) for s in examples.seen_rows])
    full = np.flatnonzero(lengths >= length)[:3]
    cases = [("full histories", inputs(examples.history_rows[full], full))]
    # The newest 5 and the newest single event of two users: mostly padding.
    short = np.stack([left_padded(examples.seen_rows[i][-keep:], length) for i, keep in ((0, 5), (1, 1))])
    cases.append(("short histories, left-padded", inputs(short, [0, 1])))
    # One user's events from a single scene only: every other scene is cold.
    example = int(np.argmax(lengths))
    seen = examples.seen_rows[example]
    one_scene = seen[encoded.scene[seen] == encoded.scene[seen[-1]]]
    cases.append(("one scene visited, the others cold", inputs(left_padded(one_scene, length)[None, :], [example])))
    item, scene, event_type, age = (t.clone() for t in inputs(examples.history_rows[:1], [0]))
    item[0, -1], scene[0, -1] = UNKNOWN_INDEX, UNKNOWN_INDEX
    cases.append(("newest event has an unknown item and scene", (item, scene, event_type, age)))
    golden = []
    for name, inputs in cases:
        with torch.no_grad():
            interests, attention = model.predict(*inputs)
        golden.append({
            "name": name,
            "inputs": {n: t.tolist() for n, t in zip(INPUT_NAMES, inputs)},
            "outputs": {"interests": interests.tolist(), "attention": attention.tolist()},
        })
    return golden


def scene_item_counts(encoded, train_rows: np.ndarray, num_items: int, num_scenes: int) -> np.ndarray:
    """[scene vocabulary index, candidate column] counts of training events."""
    items, scenes = encoded.item[train_rows], encoded.scene[train_rows]
    known = items >= FIRST_TOKEN_INDEX
    counts = np.zeros((num_scenes, num_items - FIRST_TOKEN_INDEX))
    np.add.at(counts, (scenes[known], items[known] - FIRST_TOKEN_INDEX), 1.0)
    return counts


def scene_popularity_lists(prepared, top_k: int) -> Dict[str, List[Dict]]:
    vocabularies = prepared.vocabularies
    counts = scene_item_counts(prepared.dataset.encoded, prepared.train_rows,
                               len(vocabularies.items), len(vocabularies.scenes))
    lists = {}
    for name in vocabularies.scene_names:
        scene_counts = counts[vocabularies.scenes.index(name)]
        top = np.argsort(-scene_counts, kind="stable")[:top_k]
        lists[name] = [{"item": vocabularies.items.tokens[c + FIRST_TOKEN_INDEX],
                        "index": int(c + FIRST_TOKEN_INDEX), "count": float(scene_counts[c])}
                       for c in top if scene_counts[c] > 0]
    return lists


def write_json(directory: str, name: str, value):
    with open(os.path.join(directory, name), "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def export_model_directory(model: InterestModel, prepared, metrics: Dict, out_dir: str) -> Dict:
    """Write model.onnx, vocabularies, embeddings, half-lives, popularity, golden vectors, manifest."""
    config = model.config
    os.makedirs(out_dir, exist_ok=True)
    vocabularies = prepared.vocabularies
    example = history_tensors(prepared.dataset.encoded, prepared.test.examples.history_rows[:2],
                              prepared.test.query_time_ms[:2])  # only shapes and dtypes matter for tracing
    export_onnx(model, os.path.join(out_dir, "model.onnx"), example)
    embeddings = model.item_embedding.weight.detach().numpy().astype("<f4")
    embeddings.tofile(os.path.join(out_dir, ITEM_EMBEDDINGS_FILE))
    write_json(out_dir, "items.json", vocabularies.items.tokens)
    write_json(out_dir, "scenes.json", vocabularies.scenes.tokens)
    write_json(out_dir, "event_types.json", vocabularies.event_types.tokens)
    half_lives_seconds = (model.half_lives_hours() * 3600.0).tolist()
    write_json(out_dir, "half_lives.json", {
        "unit": "seconds",
        "half_lives": [{"scene": s, "half_life_seconds": h}
                       for s, h in zip(vocabularies.scene_names, half_lives_seconds)]})
    write_json(out_dir, "popularity.json", scene_popularity_lists(prepared, config.popularity_top_k))
    write_json(out_dir, "golden.json", {"tolerance": GOLDEN_TOLERANCE, "cases": golden_cases(model, prepared)})
    exported_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    manifest = {
        "format_version": FORMAT_VERSION,
        "model_version": f"interest-{exported_at:%Y%m%d%H%M%S}-{prepared.log.sha256[:8]}",
        "exported_at": exported_at.isoformat(),
        "history_length": config.history_length,
        "dim": config.dim,
        "num_scenes": len(vocabularies.scene_names),
        "num_items": len(vocabularies.items),
        "num_event_types": len(vocabularies.event_types),
        "padding_index": PAD_INDEX,
        "unknown_index": UNKNOWN_INDEX,
        "first_scene_index": FIRST_TOKEN_INDEX,
        "onnx": {"file": "model.onnx", "opset": OPSET, "inputs": INPUT_NAMES, "outputs": OUTPUT_NAMES,
                 "age_unit": "seconds"},
        "item_embeddings": {"file": ITEM_EMBEDDINGS_FILE, "dtype": "float32", "byte_order": "little",
                            "shape": list(embeddings.shape)},
        "files": {"items": "items.json", "scenes": "scenes.json", "event_types": "event_types.json",
                  "half_lives": "half_lives.json", "popularity": "popularity.json", "golden": "golden.json"},
        "training_data_sha256": prepared.log.sha256,
        "training": {"config": config.to_dict(), "torch": torch.__version__,
                     "python": sys.version.split()[0]},
        "offline_metrics": metrics,
    }
    write_json(out_dir, "manifest.json", manifest)
    return manifest
