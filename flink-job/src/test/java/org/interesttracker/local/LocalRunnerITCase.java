package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.interesttracker.cli.InterestTrackerCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole local command in this JVM: broker, MiniCluster, job, replay and report. */
class LocalRunnerITCase {
  private static final int EVENTS = 2_000;

  @TempDir Path tempDir;

  @Test
  void everyEventIsAccountedForAsProfileDeadLetterOrDuplicate() throws Exception {
    Path reportFile = tempDir.resolve("report.json");
    StringWriter out = new StringWriter();
    CommandLine cli = InterestTrackerCli.commandLine().setOut(new PrintWriter(out));

    int exitCode =
        cli.execute(
            "local",
            "--max-events=" + EVENTS,
            "--web-port=0",
            // Higher than the defaults so that 2,000 events carry every kind of fault.
            "--duplicate-rate=0.05",
            "--malformed-rate=0.02",
            "--report=" + reportFile);

    assertThat(exitCode).as("exit code; output:%n%s", out).isZero();
    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    long duplicatesInjected = report.get("duplicatesInjected").asLong();
    JsonNode malformed = report.get("malformedInjected");
    JsonNode deadLetters = report.get("deadLettersByReason");

    assertThat(report.get("validEvents").asLong()).isEqualTo(EVENTS);
    assertThat(report.get("profilesOut").asLong()).isEqualTo(EVENTS);
    // By default the job recommends for the scene of each accepted event.
    assertThat(report.get("recommendationsOut").asLong()).isEqualTo(EVENTS);
    assertThat(report.get("eventsSent").asLong())
        .isEqualTo(EVENTS + duplicatesInjected + sum(malformed));
    assertThat(report.get("countsAddUp").asBoolean()).isTrue();
    assertThat(duplicatesInjected).isPositive();
    assertThat(report.get("duplicatesDropped").asLong()).isEqualTo(duplicatesInjected);
    assertThat(report.get("deadLetters").asLong()).isEqualTo(sum(malformed));
    assertThat(deadLetters.get("UNDECODABLE").asLong())
        .isPositive()
        .isEqualTo(malformed.get("UNDECODABLE_BYTES").asLong());
    assertThat(deadLetters.get("MISSING_FIELD").asLong())
        .isPositive()
        .isEqualTo(malformed.get("EMPTY_USER_ID").asLong());
    assertThat(deadLetters.get("TIMESTAMP_OUT_OF_RANGE").asLong())
        .isPositive()
        .isEqualTo(malformed.get("TIMESTAMP_IN_1970").asLong());
    assertThat(report.get("unreadableOutput").asLong()).isZero();
    assertThat(report.get("latency").get("samples").asLong()).isEqualTo(EVENTS);
    assertThat(report.get("latency").get("p99Ms").asDouble())
        .isGreaterThanOrEqualTo(report.get("latency").get("p50Ms").asDouble())
        .isPositive();
    assertThat(report.get("throughputEventsPerSecond").asDouble()).isPositive();
    JsonNode quality = report.get("quality");
    assertThat(quality.get("evaluated").asLong()).isPositive();
    assertThat(quality.get("hitRate").asDouble()).isBetween(0.0, 1.0);
    assertThat(quality.get("popularityHitRate").asDouble()).isBetween(0.0, 1.0);
    // The default model learned the synthetic world: it must beat live popularity on its stream.
    assertThat(quality.get("ndcg").asDouble())
        .isGreaterThan(quality.get("popularityNdcg").asDouble());
    assertThat(sum(report.get("coldStarts"))).isEqualTo(EVENTS);
    assertThat(report.get("coldStarts").get("NEW_USER").asLong()).isPositive();
    assertThat(report.get("coldStartShare").asDouble()).isBetween(0.0, 1.0);
    JsonNode state = report.get("stateBytesPerUser");
    assertThat(state.get("users").asLong()).isPositive();
    // A history entry and a remembered event id take more than 10 bytes each; the cap on both
    // keeps a user's state within a few kilobytes.
    assertThat(state.get("median").asDouble()).isBetween(100.0, 8192.0);
    assertThat(out.toString())
        .contains("Check")
        .contains(": OK")
        .contains("Online quality")
        .contains("State per user");
  }

  private static long sum(JsonNode counts) {
    long total = 0;
    for (JsonNode count : counts) {
      total += count.asLong();
    }
    return total;
  }
}
