package org.interesttracker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.interesttracker.eventlog.EventLogSummary;
import org.interesttracker.synthetic.SyntheticConfig;
import org.interesttracker.synthetic.SyntheticDataset;
import org.interesttracker.synthetic.SyntheticGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code generate}: writes a synthetic multi-scene event log and, optionally, its ground truth. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates a synthetic multi-scene event log with planted per-scene interest half-lives"
          + " (news 30m, search 2h, video 12h, home 2d, shop 7d), long-term topics shared across"
          + " scenes, scenes taken up over time and drifting interests.",
      "The same options always give byte-identical output."
    })
final class GenerateCommand implements Callable<Integer> {

  private static final SyntheticConfig DEFAULTS = SyntheticConfig.defaults();

  @Spec CommandSpec spec;

  @Mixin PrepareCommand.OutputOption output;

  @Option(
      names = "--truth",
      paramLabel = "FILE",
      description =
          "Also write the ground truth as JSON: scene half-lives, item topics and"
              + " scenes, users' long-term topics, their changes and scene start times.")
  Path truth;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(
      names = "--users",
      paramLabel = "N",
      description = "Number of users (default: ${DEFAULT-VALUE}).")
  int users = DEFAULTS.users();

  @Option(
      names = "--items",
      paramLabel = "N",
      description = "Number of items, at least topics x scenes (default: ${DEFAULT-VALUE}).")
  int items = DEFAULTS.items();

  @Option(
      names = "--count",
      paramLabel = "N",
      description =
          "Number of events to write: the first N in time order of a 30-day"
              + " simulation sized for about 10%% more (default: ${DEFAULT-VALUE}).")
  long events = DEFAULTS.events();

  @Override
  public Integer call() throws Exception {
    long startNanos = System.nanoTime();
    SyntheticDataset dataset =
        SyntheticGenerator.generate(DEFAULTS.withScale(seed, users, items, events));
    long generatedMillis = (System.nanoTime() - startNanos) / 1_000_000;
    dataset.writeEventLog(output.output);
    if (truth != null) {
      dataset.writeTruth(truth);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("generated in %,d ms; wrote %s%n", generatedMillis, output.output);
    if (truth != null) {
      out.printf("wrote ground truth %s%n", truth);
    }
    EventLogSummary summary = new EventLogSummary();
    dataset.stream().forEach(summary::add);
    summary.describe().forEach(out::println);
    out.flush();
    return 0;
  }
}
