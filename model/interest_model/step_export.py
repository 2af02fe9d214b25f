"""Export the streaming model's per-event step: ONNX graph, manifest, vocabularies, golden streams.

The contract (model/README.md, "Streaming step contract") is what
org.interesttracker.serving.StreamingStepModel implements; the manifest
names its version. Golden streams are event sequences with the PyTorch
reference outputs after every event, computed from the whole history at
once (`read_out_newest`), never from the step itself, so a serving path
that reproduces them computes the model's function, not just the graph's.
"""
import datetime
import json
import logging
import os
import sys
from typing import Dict, List

import numpy as np
import onnx
import torch
from torch import nn

from .cost import cache_bytes_per_user, step_cost
from .data import FIRST_TOKEN_INDEX, PAD_INDEX, UNKNOWN_INDEX, EncodedLog
from .evaluate import CUTOFF
from .incremental import Event, IncrementalUser
from .live_popularity import FLOOR_SHARE_OF_UNIFORM, LivePopularity, LiveScenePopularity, latest_log_shares
from .pipeline import Prepared, prepare, setup_run_folder
from .prequential import FixedScenePopularity, ServedRecommender, prequential_quality
from .streaming_model import StreamingInterestModel
from .train import make_dataset, train

log = logging.getLogger(__name__)
CONTRACT = "streaming-step"
CONTRACT_VERSION = 2
OPSET = 17
STEP_FILE, GOLDEN_FILE, ITEM_EMBEDDINGS_FILE = "step.onnx", "golden_streams.json", "item_embeddings.f32"
ITEM_POPULARITY_FILE, SCENE_POPULARITY_FILE = "item_log_popularity.f32", "popularity.json"
WEIGHTS_FILE = "weights.pt"
GOLDEN_TOLERANCE = 1e-4
INPUT_NAMES = ["item", "scene", "event_type", "window_item", "window_scene", "window_event_type",
               "age_seconds", "cache", "cache_mask", "request_age_seconds"]
OUTPUT_NAMES = ["new_state", "interests", "attention", "popularity_weight"]
BLIND_QUERY_NAME = "(scene-blind)"


class StepGraph(nn.Module):
    """StreamingInterestModel.step as forward, the function ONNX traces."""

    def __init__(self, model: StreamingInterestModel):
        super().__init__()
        self.model = model

    def forward(self, *inputs):
        return self.model.step(*inputs)


def tensor_shapes(model: StreamingInterestModel) -> Dict[str, List]:
    """Every input and output of the step graph: [axis sizes], "batch" for the dynamic axis."""
    config = model.config
    cached, window, queries = config.history_length - 1, config.encoder_window, model.num_queries
    return {
        "item": ["batch"], "scene": ["batch"], "event_type": ["batch"],
        "window_item": ["batch", window], "window_scene": ["batch", window], "window_event_type": ["batch", window],
        "age_seconds": ["batch", cached], "cache": ["batch", cached, config.cache_dim],
        "cache_mask": ["batch", cached], "request_age_seconds": ["batch"],
        "new_state": ["batch", config.cache_dim], "interests": ["batch", queries, config.dim],
        "attention": ["batch", queries, config.history_length], "popularity_weight": ["batch", queries],
    }


def example_inputs(model: StreamingInterestModel, batch: int):
    shapes = tensor_shapes(model)

    def zeros(name, dtype):
        return torch.zeros([batch] + shapes[name][1:], dtype=dtype)
    tokens = [zeros(name, torch.long) for name in INPUT_NAMES[:6]]
    return tuple(tokens + [zeros(name, torch.float32) for name in INPUT_NAMES[6:]])


def export_step_graph(model: StreamingInterestModel, path: str):
    torch.onnx.export(StepGraph(model).eval(), example_inputs(model, 2), path, opset_version=OPSET,
                      input_names=INPUT_NAMES, output_names=OUTPUT_NAMES,
                      dynamic_axes={name: {0: "batch"} for name in INPUT_NAMES + OUTPUT_NAMES})
    graph = onnx.load(path)
    # The tracer leaves fixed output axes symbolic; state them so the file documents its shapes.
    shapes = tensor_shapes(model)
    for output in graph.graph.output:
        for dim, size in zip(output.type.tensor_type.shape.dim[1:], shapes[output.name][1:]):
            dim.dim_value = size
    onnx.checker.check_model(graph, full_check=True)
    onnx.save(graph, path)


def random_stream(generator: np.random.Generator, count: int, vocabulary_sizes, start_ms: int) -> List[Event]:
    """Events with gaps from seconds to days; now and then an unknown item or scene (index 1)."""
    num_items, num_scenes, num_event_types = vocabulary_sizes
    gaps_seconds = np.exp(generator.uniform(np.log(2.0), np.log(3 * 86400.0), count))
    times = start_ms + np.cumsum(np.round(gaps_seconds * 1000)).astype(np.int64)
    return [Event(int(generator.integers(UNKNOWN_INDEX if generator.random() < 0.1 else FIRST_TOKEN_INDEX, num_items)),
                  int(generator.integers(UNKNOWN_INDEX if generator.random() < 0.1 else FIRST_TOKEN_INDEX, num_scenes)),
                  int(generator.integers(FIRST_TOKEN_INDEX, num_event_types)), int(t)) for t in times]


def golden_arrivals(model: StreamingInterestModel, vocabulary_sizes, seed: int = 7) -> Dict[str, List[Event]]:
    """Arrival orders to replay: a window that slides; a late event; a first event."""
    config = model.config
    generator = np.random.default_rng(seed)
    start = 1_700_000_000_000
    sliding = random_stream(generator, 2 * config.history_length + config.encoder_window, vocabulary_sizes, start)
    in_order = random_stream(generator, config.history_length + config.encoder_window + 2, vocabulary_sizes, start)
    # Late: between the third- and second-newest of the events so far, then two more on time.
    late_time = (in_order[-5].time_ms + in_order[-4].time_ms) // 2
    late = Event(in_order[-1].item, in_order[-1].scene, in_order[-1].event_type, late_time)
    with_late = in_order[:-2] + [late] + in_order[-2:]
    first = random_stream(generator, 2, vocabulary_sizes, start)
    first[0] = Event(UNKNOWN_INDEX, UNKNOWN_INDEX, first[0].event_type, first[0].time_ms)
    return {"the window slides": sliding, "a late event is inserted": with_late,
            "a first event with an unknown item and scene": first}


def golden_request_ages(generator: np.random.Generator, count: int) -> List[float]:
    """Half the requests at the newest event (as the job asks), half from a second to 30 days later."""
    later = np.round(np.exp(generator.uniform(0.0, np.log(30 * 86400.0), count)), 3)
    return [0.0 if generator.random() < 0.5 else float(age) for age in later]


def reference_outputs(model: StreamingInterestModel, history: List[Event], request_age_seconds: float):
    """The read-outs at the newest event for a request that long after it, from the time-ordered
    history at once."""
    span = model.config.history_length + model.config.encoder_window
    recent = history[-span:]
    pad = span - len(recent)
    columns = [[PAD_INDEX] * pad + [getattr(e, f) for e in recent] for f in ("item", "scene", "event_type", "time_ms")]
    # The request time in milliseconds, so that the request age is exactly the given seconds.
    request_time = torch.tensor([history[-1].time_ms]) + torch.tensor([request_age_seconds * 1000.0],
                                                                      dtype=torch.float64)
    with torch.no_grad():
        interests, attention, weight, newest = model.read_out_newest(
            *(torch.tensor([c]) for c in columns), torch.arange(model.num_queries).unsqueeze(0), request_time)
    return {"new_state": newest[0], "interests": interests[0], "attention": attention[0], "popularity_weight": weight[0]}


def rounded(tensor: torch.Tensor):
    """Nested lists with 8 significant digits: float32 precision without the JSON bulk of repr."""
    return json.loads(json.dumps(np.vectorize(lambda v: float(f"{v:.8g}"))(tensor.numpy()).tolist()))


def golden_streams(model: StreamingInterestModel, vocabulary_sizes) -> List[Dict]:
    """Each arrival with the reference outputs after it; checked against the incremental driver."""
    streams = []
    generator = np.random.default_rng(11)
    for name, arrivals in golden_arrivals(model, vocabulary_sizes).items():
        user, history, steps = IncrementalUser(model), [], []
        for event, request_age in zip(arrivals, golden_request_ages(generator, len(arrivals))):
            late = bool(history) and event.time_ms < history[-1].time_ms
            position = next((i for i, e in enumerate(history) if e.time_ms > event.time_ms), len(history))
            history.insert(position, event)
            expected = reference_outputs(model, history, request_age)
            served = user.add(event, request_age)
            for key, value in expected.items():
                if not torch.allclose(value, getattr(served, key), atol=GOLDEN_TOLERANCE / 10):
                    raise AssertionError(f"{name}: the incremental path differs from the reference in {key}")
            steps.append({"event": event.__dict__, "late": late, "request_age_seconds": request_age,
                          "expected": {key: rounded(value) for key, value in expected.items()}})
        streams.append({"name": name, "steps": steps})
    return streams


def golden_popularity(rule, item_tokens: List[str], scene_tokens: List[str], top_k: int, seed: int = 5) -> Dict:
    """Events of known and unknown items in known and unknown scenes with a 120-day quiet spell, and
    what a dozen requests read: the snapshot's log shares (only those above the floor are listed) and
    a new user's list in each scene and in a scene the model does not know. The live-popularity rule
    for Java to reproduce."""
    generator = np.random.default_rng(seed)
    count = 400
    gaps_ms = np.round(np.exp(generator.uniform(np.log(1_000.0), np.log(3 * 3600_000.0), count))).astype(np.int64)
    gaps_ms[count // 2] += 120 * 86400_000  # long enough for every weight to fall below the minimum
    times = 1_700_000_000_000 + np.cumsum(gaps_ms)
    known = item_tokens[FIRST_TOKEN_INDEX:FIRST_TOKEN_INDEX + 20]
    tokens = [str(generator.choice(known)) if generator.random() < 0.9 else f"not-in-vocabulary-{i % 3}"
              for i in range(count)]
    known_scenes = scene_tokens[FIRST_TOKEN_INDEX:]
    scenes = [str(generator.choice(known_scenes)) if generator.random() < 0.9 else "not-a-scene"
              for _ in range(count)]
    index = {token: i for i, token in enumerate(item_tokens)}
    items = np.array([index.get(token, UNKNOWN_INDEX) for token in tokens] + [PAD_INDEX])
    scene_index = {token: i for i, token in enumerate(scene_tokens)}
    scene_column = np.array([scene_index.get(scene, UNKNOWN_INDEX) for scene in scenes] + [PAD_INDEX])
    encoded = EncodedLog(items, scene_column, np.zeros_like(items), np.append(times, 0))
    requests = np.sort(generator.choice(times, 12, replace=False)) + rule.delay_ms + 1
    live = LivePopularity(encoded, len(item_tokens), rule, requests)
    lists = LiveScenePopularity(encoded, len(item_tokens), len(scene_tokens), rule, requests, top_k)
    floor = float(np.log(FLOOR_SHARE_OF_UNIFORM / (len(item_tokens) - FIRST_TOKEN_INDEX)))
    answers = []
    for time_ms, shares in zip(requests, live.at(requests)):
        above = np.flatnonzero(shares > np.float32(floor))
        tokens_of = lambda scene: [item_tokens[i] for i in lists.at(scene, int(time_ms))]
        answers.append({"time_ms": int(time_ms), "boundary_ms": int(rule.boundary_of(time_ms)),
                        "log_shares": {str(int(c) + FIRST_TOKEN_INDEX): float(shares[c]) for c in above},
                        "new_user": {"scenes": {name: tokens_of(scene_index[name]) for name in known_scenes},
                                     "other_scene": tokens_of(UNKNOWN_INDEX)}})
    return {"floor": floor, "new_user_top_k": top_k,
            "events": [{"item": t, "scene": c, "time_ms": int(ms)} for t, c, ms in zip(tokens, scenes, times)],
            "requests": answers}


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


def offline_quality(model: StreamingInterestModel, prepared: Prepared, popular: Dict[str, List[Dict]]) -> Dict:
    """The model's prequential figures on its own log, served as the job serves it: each event
    reads the live-popularity snapshot of its time, and a new user's list is of that snapshot too
    (the lists of training counts, `popular`, where the snapshot has nothing of the scene)."""
    config, encoded, scenes = model.config, prepared.dataset.encoded, prepared.vocabularies.scenes
    num_items, times = len(prepared.vocabularies.items), encoded.timestamp_ms[:-1]
    popularity = LivePopularity(encoded, num_items, config.popularity_rule(), times)
    popular = LiveScenePopularity(encoded, num_items, len(prepared.vocabularies.scenes), config.popularity_rule(),
                                  times, config.popularity_top_k, FixedScenePopularity(
                                      {scenes.index(name): [entry["index"] for entry in entries]
                                       for name, entries in popular.items()}))
    recommender = ServedRecommender(model, popularity, popular, CUTOFF, config.effective_scene_loss_weight() > 0)
    return prequential_quality(recommender, prepared.log, prepared.dataset.encoded)


def write_step_directory(model: StreamingInterestModel, prepared: Prepared, out_dir: str, training: Dict) -> Dict:
    """step.onnx, vocabularies, item embeddings, popularity, golden streams and the manifest."""
    config, vocabularies = model.config, prepared.vocabularies
    os.makedirs(out_dir, exist_ok=True)
    export_step_graph(model, os.path.join(out_dir, STEP_FILE))
    embeddings = model.item_embedding.weight.detach().numpy().astype("<f4")
    embeddings.tofile(os.path.join(out_dir, ITEM_EMBEDDINGS_FILE))
    rule = config.popularity_rule()
    item_log_shares = latest_log_shares(prepared.dataset.encoded, len(vocabularies.items), rule)
    item_log_shares.astype("<f4").tofile(os.path.join(out_dir, ITEM_POPULARITY_FILE))
    popular = scene_popularity_lists(prepared, config.popularity_top_k)
    write_json(out_dir, SCENE_POPULARITY_FILE, popular)
    write_json(out_dir, "items.json", vocabularies.items.tokens)
    write_json(out_dir, "scenes.json", vocabularies.scenes.tokens)
    write_json(out_dir, "event_types.json", vocabularies.event_types.tokens)
    sizes = (len(vocabularies.items), len(vocabularies.scenes), len(vocabularies.event_types))
    with open(os.path.join(out_dir, GOLDEN_FILE), "w") as f:  # compact: most of the directory's bytes
        json.dump({"tolerance": GOLDEN_TOLERANCE, "streams": golden_streams(model, sizes),
                   "popularity": golden_popularity(rule, vocabularies.items.tokens, vocabularies.scenes.tokens,
                                                   config.popularity_top_k)}, f, separators=(",", ":"))
        f.write("\n")
    shapes = tensor_shapes(model)
    scenes = len(vocabularies.scene_names)
    cost = {length: step_cost(config, scenes, length) for length in (config.history_length, 4 * config.history_length)}
    exported_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    manifest = {
        "contract": CONTRACT,
        "contract_version": CONTRACT_VERSION,
        # Names the model in every recommendation; a user's cached vectors belong to one version.
        "model_version": f"streaming-{exported_at:%Y%m%d%H%M%S}-{prepared.log.sha256[:8]}",
        "exported_at": exported_at.isoformat(),
        "history_length": config.history_length,
        "encoder_window": config.encoder_window,
        "cache_dim": config.cache_dim,
        "dim": config.dim,
        "num_scenes": scenes,
        "queries": vocabularies.scene_names + [BLIND_QUERY_NAME],
        # Untrained scene read-outs must not serve: the job then reads every scene with the blind one.
        "scene_queries_trained": config.effective_scene_loss_weight() > 0,
        "num_items": len(vocabularies.items),
        "padding_index": PAD_INDEX,
        "unknown_index": UNKNOWN_INDEX,
        "first_scene_index": FIRST_TOKEN_INDEX,
        "step": {"file": STEP_FILE, "opset": OPSET, "age_unit": "seconds",
                 "inputs": {name: shapes[name] for name in INPUT_NAMES},
                 "outputs": {name: shapes[name] for name in OUTPUT_NAMES}},
        "half_lives_hours": dict(zip(vocabularies.scene_names + [BLIND_QUERY_NAME],
                                     model.half_lives_hours().tolist())),
        # The rule the model was trained with, which the job computes live from its stream, also per
        # scene for a new user's list (its top new_user_top_k); the table and the lists of training
        # counts are for a job that keeps no live popularity.
        "popularity": {"blend": config.use_popularity_blend, "source": "live", "new_user": "live",
                       "new_user_top_k": config.popularity_top_k,
                       "half_life_hours": rule.half_life_hours, "snapshot_interval_ms": rule.interval_ms,
                       "min_weight": rule.min_weight, "delay_ms": rule.delay_ms,
                       "floor_share_of_uniform": FLOOR_SHARE_OF_UNIFORM, "item_log_shares": ITEM_POPULARITY_FILE,
                       "scene_lists": SCENE_POPULARITY_FILE},
        "item_embeddings": {"file": ITEM_EMBEDDINGS_FILE, "dtype": "float32", "byte_order": "little",
                            "shape": list(embeddings.shape)},
        "files": {"items": "items.json", "scenes": "scenes.json", "event_types": "event_types.json",
                  "golden": GOLDEN_FILE},
        # What the job's online quality on this same log should come to (the `local` command compares).
        "offline_quality": offline_quality(model, prepared, popular),
        "cost": {f"multiply_adds_at_L{length}": c.multiply_adds for length, c in cost.items()}
        | {"cache_bytes_per_user": cache_bytes_per_user(config)},
        "training": training | {"config": config.to_dict(), "torch": torch.__version__,
                                "python": sys.version.split()[0]},
    }
    write_json(out_dir, "manifest.json", manifest)
    return manifest


def train_and_export_step(log_path: str, config, run_dir: str, out_dir: str) -> Dict:
    """Train the streaming model on a log (validation under config.protocol) and export its step."""
    if config.architecture != "streaming":
        raise ValueError("export-step exports the streaming model")
    setup_run_folder(run_dir)
    prepared = prepare(log_path, config)
    dataset = make_dataset(prepared.dataset.encoded, prepared.split, prepared.vocabularies, config)
    model, validation_ndcg = train(config, dataset, prepared.validation)
    # The trained weights stay in the run folder: the step graph cannot be read back into PyTorch.
    torch.save(model.state_dict(), os.path.join(run_dir, WEIGHTS_FILE))
    return write_step_directory(model, prepared, out_dir,
                                {"training_data_sha256": prepared.log.sha256, "split": config.split,
                                 "protocol": config.protocol, "validation_NDCG@10": validation_ndcg})
