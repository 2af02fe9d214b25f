package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a user sees when a command cannot run: one line that names the problem and exit code 2 for a
 * usage error, 1 for what the surroundings refused; stack traces only with --verbose. Each check
 * happens before anything slow starts.
 */
class CommandErrorsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void aBadDurationOfOneSceneIsAUsageErrorOfOneLine() {
    assertThat(run("run", "--bootstrap-servers=kafka:9092", "--half-life", "news=soon"))
        .isEqualTo(2);

    assertThat(err.toString().lines())
        .containsExactly(
            "error: --half-life news=soon: 'soon' is not a duration; use e.g. 500ms, 30s, 10m,"
                + " 2h, 7d or PT2H");
  }

  @Test
  void verboseAddsTheStackTrace() {
    assertThat(
            run("run", "--bootstrap-servers=kafka:9092", "--half-life", "news=soon", "--verbose"))
        .isEqualTo(2);

    assertThat(err.toString()).contains("IllegalArgumentException").contains("\tat ");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);

    assertThat(err.toString()).contains("name a command").contains("Commands:");
  }

  @Test
  void runChecksTheModelDirectoryBeforeKafka(@TempDir Path empty) {
    long start = System.nanoTime();
    assertThat(
            run(
                "run",
                "--bootstrap-servers=" + unusedLoopbackAddress(),
                "--model-dir=" + empty,
                "--kafka-check-timeout=60s"))
        .isEqualTo(2);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).contains(empty.toString());
  }

  @Test
  void runNamesTheServersItCannotReachWithinTheTimeout() {
    String servers = unusedLoopbackAddress();
    long start = System.nanoTime();

    assertThat(run("run", "--bootstrap-servers=" + servers, "--kafka-check-timeout=2s"))
        .isEqualTo(1);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(err.toString().lines())
        .containsExactly(
            "error: Kafka at "
                + servers
                + " did not answer within 2 s; check --bootstrap-servers and --kafka-properties");
  }

  @Test
  void localChecksTheModelDirectoryBeforeStartingAnything(@TempDir Path empty) {
    long start = System.nanoTime();

    assertThat(run("local", "--model-dir=" + empty, "--web-port=0")).isEqualTo(2);

    // Starting the broker and cluster alone takes longer than this on this machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("error: ").contains(empty.toString());
  }

  @Test
  void localNamesTheOptionForABusyWebPort() throws IOException {
    try (ServerSocket busy = new ServerSocket(0)) {
      assertThat(run("local", "--web-port=" + busy.getLocalPort())).isEqualTo(2);

      assertThat(err.toString().lines())
          .containsExactly(
              "error: port "
                  + busy.getLocalPort()
                  + " for the Flink web UI is in use; choose another with --web-port, or 0 for no"
                  + " web UI");
    }
  }

  @Test
  void replayNamesTheServersItCannotReach(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("events.csv");
    Files.writeString(log, "timestamp_ms,user_id,item_id,scene,event_type\n");
    String servers = unusedLoopbackAddress();

    assertThat(
            run(
                "replay",
                "--bootstrap-servers=" + servers,
                "--kafka-check-timeout=2s",
                "--events=" + log))
        .isEqualTo(1);

    assertThat(err.toString().lines())
        .containsExactly(
            "error: Kafka at "
                + servers
                + " did not answer within 2 s; check --bootstrap-servers and --kafka-properties");
  }

  private int run(String... args) {
    CommandLine cli =
        InterestTrackerCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** A loopback address nothing listens on. */
  private static String unusedLoopbackAddress() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
