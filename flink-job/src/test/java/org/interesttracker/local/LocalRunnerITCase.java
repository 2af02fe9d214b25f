package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.interesttracker.cli.InterestTrackerCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole local command in this JVM: broker, MiniCluster, job, replay and report. */
class LocalRunnerITCase {
  private static final int EVENTS = 2_000;
  private static final double QUALITY_TOLERANCE = 0.05;

  @TempDir Path tempDir;

  @Test
  void everyEventIsAccountedForAsAnsweredDeadLetterOrDuplicate() throws Exception {
    Path reportFile = tempDir.resolve("report.json");
    Path logFile = tempDir.resolve("local.log");
    var appendersBefore = ((Logger) LogManager.getRootLogger()).getAppenders();

    String out =
        runLocal(
            "--max-events=" + EVENTS,
            "--web-port=0",
            // Higher than the defaults so that 2,000 events carry every kind of fault.
            "--duplicate-rate=0.05",
            "--malformed-rate=0.02",
            "--report=" + reportFile,
            "--log-file=" + logFile);

    assertThat(out.split("Log of Kafka, Flink and the job: " + logFile)).hasSize(2);
    assertThat(logFile).exists();
    // Once the command is done, logging goes where it went before.
    assertThat(((Logger) LogManager.getRootLogger()).getAppenders()).isEqualTo(appendersBefore);
    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    long duplicatesInjected = report.get("duplicatesInjected").asLong();
    JsonNode malformed = report.get("malformedInjected");
    JsonNode deadLetters = report.get("deadLettersByReason");

    assertThat(report.get("validEvents").asLong()).isEqualTo(EVENTS);
    assertThat(report.get("eventsAnswered").asLong()).isEqualTo(EVENTS);
    // Only when a user's strengths moved enough.
    assertThat(report.get("profilesOut").asLong()).isLessThan(EVENTS).isPositive();
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
    // 2,000 events are not the default model's training log, which its offline figures are for.
    assertThat(report.get("offlineQuality").isNull()).isTrue();
    assertThat(quality.get("evaluated").asLong()).isPositive();
    assertThat(quality.get("hitRate").asDouble()).isBetween(0.0, 1.0);
    assertThat(quality.get("popularityHitRate").asDouble()).isBetween(0.0, 1.0);
    // The default model learned the synthetic world: it must beat live popularity on its stream.
    assertThat(quality.get("ndcg").asDouble())
        .isGreaterThan(quality.get("popularityNdcg").asDouble());
    assertThat(sum(report.get("coldStarts"))).isEqualTo(EVENTS);
    assertThat(report.get("coldStarts").get("NEW_USER").asLong()).isPositive();
    assertThat(report.get("coldStartShare").asDouble()).isBetween(0.0, 1.0);
    // The default model was trained on the synthetic world it replays.
    assertThat(report.get("modelCoverage").asDouble()).isGreaterThan(0.9);
    assertThat(out).doesNotContain("WARNING");
    JsonNode state = report.get("stateBytesPerUser");
    assertThat(state.get("users").asLong()).isPositive();
    // A history entry and a remembered event id take more than 10 bytes each; the cap on both
    // keeps a user's state within a few kilobytes.
    assertThat(state.get("median").asDouble()).isBetween(100.0, 8192.0);
    assertThat(out)
        .contains("Check")
        .contains(": OK")
        .contains("Online quality")
        .contains("State per user");
  }

  @Test
  void warnsWhenTheModelDoesNotKnowTheEvents() throws Exception {
    Path log = tempDir.resolve("unknown-items.csv");
    StringBuilder csv = new StringBuilder("timestamp_ms,user_id,item_id,scene,event_type\n");
    for (int i = 0; i < 200; i++) {
      csv.append(1_700_000_000_000L + i * 60_000L)
          .append(",u")
          .append(i % 10)
          .append(",never-seen-")
          .append(i)
          .append(",home,VIEW\n");
    }
    Files.writeString(log, csv);
    Path reportFile = tempDir.resolve("unknown-report.json");

    String out = runLocal("--events=" + log, "--web-port=0", "--report=" + reportFile);

    assertThat(new ObjectMapper().readTree(reportFile.toFile()).get("modelCoverage").asDouble())
        .isZero();
    // Once when the replay starts, once in the report.
    assertThat(out.split("WARNING: the model knows the item and scene of only 0.0%")).hasSize(3);
    assertThat(out).contains("--model-dir DIR");
  }

  /**
   * The job's online quality against the offline figure of the same model on the same stream: the
   * default model scored in PyTorch at export on the generator's default world, its training log,
   * which {@code local} replays by default. Bundling, Kafka, state and faults injected on the way
   * must not cost the model its quality.
   */
  @Test
  void theJobRecommendsAsWellOnlineAsTheModelDidOfflineOnTheSameStream() throws Exception {
    Path reportFile = tempDir.resolve("full-report.json");

    String out =
        runLocal(
            "--web-port=0",
            "--report=" + reportFile,
            "--log-file=" + tempDir.resolve("full-local.log"));

    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    JsonNode online = report.get("quality");
    JsonNode offline = report.get("offlineQuality");
    assertThat(offline.isObject()).as("offline figures in %s", report).isTrue();
    // One protocol: the same events are scored, each against its scene's previous list.
    assertThat(online.get("evaluated").asLong()).isEqualTo(offline.get("evaluated").asLong());
    assertThat(online.get("ndcg").asDouble())
        .isCloseTo(
            offline.get("ndcg").asDouble(),
            within(QUALITY_TOLERANCE * offline.get("ndcg").asDouble()));
    assertThat(online.get("hitRate").asDouble())
        .isCloseTo(
            offline.get("hitRate").asDouble(),
            within(QUALITY_TOLERANCE * offline.get("hitRate").asDouble()));
    assertThat(report.get("onlineToOfflineNdcg").asDouble())
        .isBetween(1 - QUALITY_TOLERANCE, 1 + QUALITY_TOLERANCE);
    assertThat(out).contains("Offline quality");
  }

  /**
   * Runs the local command with {@code options}, requires it to succeed, returns what it printed.
   */
  private static String runLocal(String... options) {
    StringWriter out = new StringWriter();
    String[] args = new String[options.length + 1];
    args[0] = "local";
    System.arraycopy(options, 0, args, 1, options.length);

    int exitCode = InterestTrackerCli.commandLine().setOut(new PrintWriter(out)).execute(args);

    assertThat(exitCode).as("exit code; output:%n%s", out).isZero();
    return out.toString();
  }

  private static long sum(JsonNode counts) {
    long total = 0;
    for (JsonNode count : counts) {
      total += count.asLong();
    }
    return total;
  }
}
