package org.interesttracker.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.avro.VersionQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code model status}: what every subtask serves, and how well each version did. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Asks every subtask of the running job what it serves (live version, candidate and its"
          + " canary share, the version a rollback returns to) and prints the prequential quality"
          + " of each version's recommendations over all subtasks.",
      "  java -jar interest-tracker.jar model status --bootstrap-servers kafka:9092"
    })
final class ModelStatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    return control.send(
        ControlRequest.newBuilder().setAction(ControlAction.STATUS),
        spec.commandLine(),
        answers -> {
          List<OperationsRecord> bySubtask =
              answers.stream()
                  .sorted(Comparator.comparingInt(OperationsRecord::getSubtask))
                  .toList();
          printServing(bySubtask, out);
          printQuality(bySubtask, out);
        });
  }

  private static void printServing(List<OperationsRecord> answers, PrintWriter out) {
    answers.forEach(
        answer ->
            out.printf(
                "subtask %d serves live %s, %s, previous %s%n",
                answer.getSubtask(),
                answer.getLiveVersion(),
                answer.getCandidateVersion() == null
                    ? "no candidate"
                    : "candidate "
                        + answer.getCandidateVersion()
                        + " (canary share "
                        + answer.getCanaryShare()
                        + ")",
                answer.getPreviousVersion() == null ? "none" : answer.getPreviousVersion()));
  }

  /** Each subtask scores the users it owns: the job's figure is their sum, by evaluated events. */
  private static void printQuality(List<OperationsRecord> answers, PrintWriter out) {
    Map<String, Totals> byVersion = new LinkedHashMap<>();
    for (OperationsRecord answer : answers) {
      for (VersionQuality quality : answer.getQuality()) {
        byVersion.computeIfAbsent(quality.getModelVersion(), version -> new Totals()).add(quality);
      }
    }
    if (byVersion.isEmpty()) {
      out.println("no recommendation has been scored yet");
      return;
    }
    int width =
        Math.max(
            "version".length(),
            byVersion.keySet().stream().mapToInt(String::length).max().orElse(0));
    String row = "%-" + width + "s  %10s  %7s  %7s  %14s  %16s%n";
    out.printf(row, "version", "evaluated", "HR@K", "NDCG@K", "popularity HR", "popularity NDCG");
    byVersion.forEach(
        (version, totals) ->
            out.printf(
                Locale.ROOT,
                row,
                version,
                totals.evaluated,
                totals.mean(totals.hits),
                totals.mean(totals.gains),
                totals.mean(totals.popularityHits),
                totals.mean(totals.popularityGains)));
    out.println(
        "(prequential, each event against the user's previous recommendation in its scene, and"
            + " against the scene's popular items the user had not seen; K is the job's --top-k)");
  }

  /** The sums of one version's figures over subtasks. */
  private static final class Totals {
    private long evaluated;
    private double hits;
    private double gains;
    private double popularityHits;
    private double popularityGains;

    void add(VersionQuality quality) {
      evaluated += quality.getEvaluated();
      hits += quality.getHitRate() * quality.getEvaluated();
      gains += quality.getNdcg() * quality.getEvaluated();
      popularityHits += quality.getPopularityHitRate() * quality.getEvaluated();
      popularityGains += quality.getPopularityNdcg() * quality.getEvaluated();
    }

    String mean(double sum) {
      return evaluated == 0 ? "-" : String.format(Locale.ROOT, "%.4f", sum / evaluated);
    }
  }
}
