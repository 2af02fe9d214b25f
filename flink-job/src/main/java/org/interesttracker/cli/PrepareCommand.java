package org.interesttracker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.interesttracker.prepare.ConversionReport;
import org.interesttracker.prepare.DatasetConverter;
import org.interesttracker.prepare.EventLogPreparation;
import org.interesttracker.prepare.MovieLensConverter;
import org.interesttracker.prepare.TaobaoConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prepare <dataset>}: converts a raw public dataset into a sorted event-log CSV. */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description = {
      "Converts a raw public dataset into a sorted event log"
          + " (timestamp_ms,user_id,item_id,scene,event_type).",
      "Lines that cannot be converted are skipped and counted by reason in the summary."
    },
    subcommands = {PrepareCommand.MovieLens.class, PrepareCommand.Taobao.class})
final class PrepareCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The output option of every command that writes an event log. */
  static final class OutputOption {
    @Option(
        names = {"-o", "--output"},
        required = true,
        paramLabel = "FILE",
        description = "Event-log CSV to write (replaced if it exists; folders are created).")
    Path output;
  }

  @Command(
      name = "movielens",
      mixinStandardHelpOptions = true,
      description = {
        "Converts MovieLens-100K: one event per rating.",
        "Scene: the movie's genre group (thriller-crime-horror, action-adventure, comedy-family,"
            + " drama-romance, other; first match in that order).",
        "Event type: LIKE for ratings 4-5, CLICK for 1-3."
      })
  static final class MovieLens implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-i", "--input"},
        required = true,
        paramLabel = "DIR",
        description = "The ml-100k folder holding u.data and u.item.")
    Path input;

    @Mixin OutputOption output;

    @Override
    public Integer call() throws Exception {
      return prepare(new MovieLensConverter(input), input, output.output, spec);
    }
  }

  @Command(
      name = "taobao",
      mixinStandardHelpOptions = true,
      description = {
        "Converts Taobao UserBehavior (user,item,category,behavior,unix seconds; no header).",
        "Scene: category-group-N with N = category id mod 8.",
        "Event type: pv VIEW, fav LIKE, cart CART, buy PURCHASE."
      })
  static final class Taobao implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-i", "--input"},
        required = true,
        paramLabel = "FILE",
        description = "UserBehavior.csv, or any head of it.")
    Path input;

    @Mixin OutputOption output;

    @Override
    public Integer call() throws Exception {
      return prepare(new TaobaoConverter(input), input, output.output, spec);
    }
  }

  private static int prepare(DatasetConverter converter, Path input, Path output, CommandSpec spec)
      throws Exception {
    EventLogPreparation.Result result = EventLogPreparation.run(converter, output);
    ConversionReport report = result.report();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("read %s%n", input);
    out.printf("rows read: %,d%n", report.rowsRead());
    out.printf("malformed: %,d%n", report.malformedTotal());
    report
        .malformedByReason()
        .forEach(
            (reason, malformed) ->
                out.printf(
                    "  %s: %,d (first at %s)%n", reason, malformed.count(), malformed.firstAt()));
    out.printf("wrote %s%n", output);
    result.written().describe().forEach(out::println);
    out.flush();
    return 0;
  }
}
