"""Markdown report with PNG plots for one benchmark run."""
import os
from typing import Dict, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend must be chosen first)
import numpy as np  # noqa: E402

from .evaluate import METRIC_NAMES  # noqa: E402

DECAY_PLOT, QUALITY_PLOT = "decay_curves.png", "quality.png"


def _fmt(value) -> str:
    return "-" if value is None or value != value else f"{value:.4f}"


def results_table(results: Dict, group: str) -> str:
    lines = ["| method | " + " | ".join(METRIC_NAMES) + " | n |", "|---" * (len(METRIC_NAMES) + 2) + "|"]
    for method, by_group in results.items():
        metrics = by_group[group]
        lines.append(f"| {method} | " + " | ".join(_fmt(metrics[m]) for m in METRIC_NAMES) + f" | {metrics['n']} |")
    return "\n".join(lines)


def plot_decay_curves(half_lives_hours: Dict[str, float], path: str,
                      planted_hours: Optional[Dict[str, float]] = None):
    hours = np.logspace(-2, np.log10(24 * 60), 300)
    fig, ax = plt.subplots(figsize=(7, 4))
    for scene, half_life in half_lives_hours.items():
        line, = ax.plot(hours, np.exp2(-hours / half_life), label=f"{scene} (learned {half_life:.3g} h)")
        if planted_hours and scene in planted_hours:
            ax.plot(hours, np.exp2(-hours / planted_hours[scene]), "--", color=line.get_color(),
                    label=f"{scene} (planted {planted_hours[scene]:.3g} h)")
    ax.set_xscale("log")
    ax.set_xlabel("age of a past event (hours)")
    ax.set_ylabel("attention factor exp(-rate * age)")
    ax.set_title("Learned per-scene decay")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def metric_groups(results: Dict):
    """overall, cold_scene, scene:*; skips per-method extras such as training_minutes."""
    return [g for g, value in next(iter(results.values())).items() if isinstance(value, dict)]


def plot_quality(results: Dict, path: str):
    groups = metric_groups(results)
    methods = list(results)
    width = 0.8 / len(methods)
    fig, ax = plt.subplots(figsize=(max(7, len(groups) * 1.4), 4))
    for i, method in enumerate(methods):
        values = [np.nan_to_num(results[method][g]["NDCG@10"]) for g in groups]
        ax.bar(np.arange(len(groups)) + i * width, values, width, label=method)
    ax.set_xticks(np.arange(len(groups)) + 0.4 - width / 2)
    ax.set_xticklabels(groups, rotation=20, fontsize=8)
    ax.set_ylabel("NDCG@10 (full ranking)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(run_dir: str, title: str, metrics: Dict, planted_hours: Optional[Dict[str, float]] = None):
    results = metrics["results"]
    groups = metric_groups(results)
    plot_quality(results, os.path.join(run_dir, QUALITY_PLOT))
    sections = [f"# {title}", "",
                f"Event log sha256 `{metrics['event_log_sha256']}`, split `{metrics['split']}`. "
                "Full ranking over all known items, the user's earlier items excluded (target kept).", ""]
    for group in groups:
        sections += [f"## {group}", "", results_table(results, group), ""]
    sections += ["## Quality", "", f"![NDCG@10 by method]({QUALITY_PLOT})", ""]
    half_lives = metrics.get("half_lives_hours")
    if half_lives:
        plot_decay_curves(half_lives, os.path.join(run_dir, DECAY_PLOT), planted_hours)
        rows = ["| scene | learned half-life (h) | planted (h) |", "|---|---|---|"]
        rows += [f"| {s} | {h:.3g} | {_fmt_planted(planted_hours, s)} |" for s, h in half_lives.items()]
        sections += ["## Learned half-lives", ""] + rows + ["", f"![decay curves]({DECAY_PLOT})", ""]
    training = {m: r["training_minutes"] for m, r in results.items() if "training_minutes" in r}
    if training:
        sections += ["Training minutes: " + ", ".join(f"{m} {t}" for m, t in training.items()), ""]
    with open(os.path.join(run_dir, "report.md"), "w") as f:
        f.write("\n".join(sections))


def _fmt_planted(planted_hours, scene) -> str:
    return f"{planted_hours[scene]:.3g}" if planted_hours and scene in planted_hours else "-"
