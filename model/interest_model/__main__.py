"""Command line: python3 -m interest_model benchmark --log LOG --run RUN_DIR [--export MODEL_DIR]"""
import argparse

from .config import Config, parse_overrides
from .export import export_model_directory
from .pipeline import benchmark


def parse_hours(assignments):
    """`scene=hours` pairs, e.g. the half-lives a synthetic generator planted."""
    return {scene: float(hours) for scene, _, hours in (a.partition("=") for a in assignments)} or None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="interest_model")
    commands = parser.add_subparsers(dest="command", required=True)
    bench = commands.add_parser("benchmark", help="train the model and SASRec, evaluate them against "
                                                  "popularity baselines, write a report")
    bench.add_argument("--log", required=True, help="event-log CSV")
    bench.add_argument("--run", required=True, help="run folder to write (arguments, log, metrics, report)")
    bench.add_argument("--export", metavar="MODEL_DIR", help="also export the interest model to this directory")
    bench.add_argument("--no-sasrec", action="store_true", help="skip the SASRec-style baseline")
    bench.add_argument("--planted", nargs="*", default=[], metavar="SCENE=HOURS",
                       help="true half-lives of a synthetic log, shown next to the learned ones")
    bench.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="override config.py defaults")
    args = parser.parse_args(argv)
    config = parse_overrides(Config(), args.set)
    metrics, model, prepared = benchmark(args.log, config, args.run, with_sasrec=not args.no_sasrec,
                                         planted_half_lives_hours=parse_hours(args.planted))
    if args.export:
        export_model_directory(model, prepared, metrics, args.export)


if __name__ == "__main__":
    main()
