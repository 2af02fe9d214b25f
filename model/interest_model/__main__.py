"""Command line.

    python3 -m interest_model evaluate --log LOG --run RUN_DIR [--seeds ...] [--tune KEY=V1,V2 ...]
        [--tune-for METHOD KEY=V1,V2 ...] [--set ...]
    python3 -m interest_model export-step --log LOG --run RUN_DIR --out DIR [--set ...]
"""
import argparse

from .config import Config, parse_overrides
from .protocol import NEURAL_METHODS, parse_grid, run_protocol
from .step_export import train_and_export_step


def main(argv=None):
    parser = argparse.ArgumentParser(prog="interest_model")
    commands = parser.add_subparsers(dest="command", required=True)

    evaluate = commands.add_parser("evaluate", help="the evaluation protocol: popularity baselines and neural "
                                                    "methods, tuned alike, over several seeds")
    evaluate.add_argument("--log", required=True, help="event-log CSV")
    evaluate.add_argument("--run", required=True, help="run folder to write (log, results.json, summary.md)")
    evaluate.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    evaluate.add_argument("--tune", nargs="*", default=[], metavar="KEY=V1,V2",
                          help="settings grid tried on the first seed, the same for every neural method")
    evaluate.add_argument("--tune-for", nargs="+", action="append", default=[], metavar="METHOD KEY=V1,V2",
                          help="a method's own grid instead of --tune's, of the same size (repeatable)")
    evaluate.add_argument("--methods", nargs="*", default=list(NEURAL_METHODS), choices=list(NEURAL_METHODS),
                          help="neural methods to train (popularity baselines always run)")
    evaluate.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="override config.py defaults")

    export_step = commands.add_parser("export-step", help="train the streaming model and export its step graph "
                                                          "with golden streams")
    export_step.add_argument("--log", required=True, help="event-log CSV")
    export_step.add_argument("--run", required=True, help="run folder to write (log)")
    export_step.add_argument("--out", required=True, help="directory for the step graph, manifest and golden streams")
    export_step.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="override config.py defaults")

    args = parser.parse_args(argv)
    if args.command == "evaluate":
        own = {method: parse_grid(axes) for method, *axes in args.tune_for}
        run_protocol(args.log, parse_overrides(Config(), args.set), args.seeds, parse_grid(args.tune),
                     args.methods, args.run, own)
    elif args.command == "export-step":
        train_and_export_step(args.log, parse_overrides(Config(), args.set), args.run, args.out)


if __name__ == "__main__":
    main()
