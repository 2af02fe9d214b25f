package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options of {@code local} fail with one clear line before anything is started. */
class LocalCommandTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = InterestTrackerCli.commandLine().setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void rejectsAnExternalKafka() {
    assertThat(run("local", "--bootstrap-servers=kafka:9092")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--bootstrap-servers=kafka:9092'");
  }

  @Test
  void rejectsAFaultRateAboveOne() {
    assertThat(run("local", "--malformed-rate=1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("malformed rate must be between 0 and 1, got 1.5");
  }

  @Test
  void rejectsANegativeEventCount() {
    assertThat(run("local", "--max-events=-3", "--web-port=0")).isEqualTo(2);
    assertThat(err.toString()).contains("--max-events must be 0 (all) or more, got -3");
  }

  @Test
  void rejectsAnEmptyWebBindAddress() {
    assertThat(run("local", "--web-bind= ")).isEqualTo(2);
    assertThat(err.toString()).contains("web bind address must not be empty");
  }

  @Test
  void showsTheDefaultsOfTheLocalDemo() {
    String usage = new CommandLine(new LocalCommand()).getUsageMessage().replaceAll("\\s+", " ");

    assertThat(usage)
        .contains("(default 100000)")
        .contains("(default 0.01)")
        .contains("(default 0.001)")
        .contains("(default 8081)")
        .contains("(default 127.0.0.1: this machine only)")
        .contains("(off by default)");
  }
}
