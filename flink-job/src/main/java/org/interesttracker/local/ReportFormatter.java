package org.interesttracker.local;

import java.util.Locale;
import org.interesttracker.serving.ModelCoverage;
import org.interesttracker.serving.OfflineQuality;

/** The end-of-run report as the text a person reads in the terminal. */
public final class ReportFormatter {
  private ReportFormatter() {}

  public static String format(LocalRunReport report) {
    StringBuilder text = new StringBuilder();
    line(text, "Source", report.source());
    line(
        text,
        "Events sent",
        "%,d (%,d valid, %,d duplicates and %,d malformed injected)"
            .formatted(
                report.eventsSent(),
                report.validEvents(),
                report.duplicatesInjected(),
                report.malformedInjectedTotal()));
    line(text, "Events answered", "%,d".formatted(report.eventsAnswered()));
    line(text, "Profiles out", "%,d".formatted(report.profilesOut()));
    line(text, "Recommendations out", "%,d".formatted(report.recommendationsOut()));
    line(
        text,
        "Dead letters",
        "%,d %s".formatted(report.deadLetters(), report.deadLettersByReason()));
    line(text, "Duplicates dropped", "%,d".formatted(report.duplicatesDropped()));
    line(
        text,
        "Check",
        "%,d sent %s %,d answered + %,d dead letters + %,d duplicates: %s"
            .formatted(
                report.eventsSent(),
                report.countsAddUp() ? "=" : "!=",
                report.eventsAnswered(),
                report.deadLetters(),
                report.duplicatesDropped(),
                report.countsAddUp() ? "OK" : "MISMATCH"));
    if (report.unreadableOutput() > 0) {
      line(text, "Unreadable output", "%,d records".formatted(report.unreadableOutput()));
    }
    line(
        text,
        "Throughput",
        "%,.0f events/s end to end%s"
            .formatted(
                report.throughputEventsPerSecond(),
                report.steadyStateEventsPerSecond() == null
                    ? ""
                    : ", %,.0f in steady state (without start-up and warm-up)"
                        .formatted(report.steadyStateEventsPerSecond())));
    LatencyPercentiles latency = report.latency();
    line(
        text,
        "Latency",
        latency.samples() == 0
            ? "no recommendation was read"
            : "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms (send to recommendation read, %,d events)"
                .formatted(latency.p50Ms(), latency.p95Ms(), latency.p99Ms(), latency.samples()));
    PrequentialEvaluation.QualityReport quality = report.quality();
    line(
        text,
        "Online quality",
        quality.evaluated() == 0
            ? "no user came back to a scene after a recommendation"
            : "HR %.3f, NDCG %.3f; live popularity HR %.3f, NDCG %.3f (%,d next events)"
                .formatted(
                    quality.hitRate(),
                    quality.ndcg(),
                    quality.popularityHitRate(),
                    quality.popularityNdcg(),
                    quality.evaluated()));
    OfflineQuality offline = report.offlineQuality();
    if (offline != null) {
      line(
          text,
          "Offline quality",
          "HR %.3f, NDCG %.3f: the model on this same stream in PyTorch, at export (%,d next events);"
                  .formatted(offline.hitRate(), offline.ndcg(), offline.evaluated())
              + " online NDCG is %.3f of it".formatted(report.onlineToOfflineNdcg()));
    }
    line(
        text,
        "Cold starts",
        "%.1f%% of recommendations %s"
            .formatted(100 * report.coldStartShare(), report.coldStarts()));
    line(
        text,
        "Model coverage",
        "%.1f%% of events have an item and scene the model knows"
            .formatted(100 * report.modelCoverage()));
    if (report.modelCoverage() < ModelCoverage.LOW) {
      text.append(lowCoverageWarning(report.modelCoverage())).append('\n');
    }
    line(
        text,
        "State per user",
        "%,.0f bytes median, %,.0f mean (%,d users)"
            .formatted(
                report.stateBytesPerUser().median(),
                report.stateBytesPerUser().mean(),
                report.stateBytesPerUser().users()));
    line(text, "Wall time", "%.1f s".formatted(report.wallTimeSeconds()));
    return text.toString();
  }

  /**
   * The warning for a model that does not know the stream, naming the command that trains one that
   * does.
   */
  static String lowCoverageWarning(double coverage) {
    return String.format(
        Locale.ROOT,
        "WARNING: the model knows the item and scene of only %.1f%% of these events: it was trained on"
            + " other data, and its recommendations will be little better than popularity. Train"
            + " one on this event log (from model/: /usr/bin/python3 -m interest_model export-step"
            + " --log FILE --run runs/mine --out DIR) and run again with --model-dir DIR.",
        100 * coverage);
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format(Locale.ROOT, "  %-19s %s%n", label, value));
  }
}
