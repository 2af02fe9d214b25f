package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.interesttracker.cli.InterestTrackerCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's online quality against the offline figure of the same model on the same stream: the
 * default model scored in PyTorch at export on the generator's default world, its training log,
 * which {@code local} replays by default. Bundling, Kafka, state and faults injected on the way
 * must not cost the model its quality.
 */
class OnlineQualityITCase {
  private static final double TOLERANCE = 0.05;

  @TempDir Path tempDir;

  @Test
  void theJobRecommendsAsWellOnlineAsTheModelDidOfflineOnTheSameStream() throws Exception {
    Path reportFile = tempDir.resolve("report.json");
    StringWriter out = new StringWriter();

    int exitCode =
        InterestTrackerCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(
                "local",
                "--web-port=0",
                "--report=" + reportFile,
                "--log-file=" + tempDir.resolve("local.log"));

    assertThat(exitCode).as("exit code; output:%n%s", out).isZero();
    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    JsonNode online = report.get("quality");
    JsonNode offline = report.get("offlineQuality");
    assertThat(offline.isObject()).as("offline figures in %s", report).isTrue();
    // One protocol: the same events are scored, each against its scene's previous list.
    assertThat(online.get("evaluated").asLong()).isEqualTo(offline.get("evaluated").asLong());
    assertThat(online.get("ndcg").asDouble())
        .isCloseTo(
            offline.get("ndcg").asDouble(), within(TOLERANCE * offline.get("ndcg").asDouble()));
    assertThat(online.get("hitRate").asDouble())
        .isCloseTo(
            offline.get("hitRate").asDouble(),
            within(TOLERANCE * offline.get("hitRate").asDouble()));
    assertThat(report.get("onlineToOfflineNdcg").asDouble())
        .isBetween(1 - TOLERANCE, 1 + TOLERANCE);
    assertThat(out.toString()).contains("Offline quality");
  }
}
