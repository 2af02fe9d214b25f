package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help lists only what it accepts, each value under a name that says what it is.
 */
class HelpTextTest {
  private final CommandLine cli = InterestTrackerCli.commandLine();

  @Test
  void everyOptionValueHasANamedPlaceholder() {
    for (Map.Entry<String, CommandLine> command : cli.getSubcommands().entrySet()) {
      // picocli falls back to <fieldName> where an option has no label.
      assertThat(command.getValue().getUsageMessage())
          .as(command.getKey())
          .doesNotContainPattern("<[a-z]+[A-Z][A-Za-z]*>");
    }
  }

  @Test
  void onlyRunTakesKafkaAndTopicOptions() {
    assertThat(usage("run")).contains("--bootstrap-servers", "--input-topic", "--consumer-group");
    for (String command : new String[] {"local", "benchmark"}) {
      assertThat(usage(command))
          .as(command)
          .doesNotContain("--bootstrap-servers", "--kafka-properties", "--input-topic")
          .contains("--model-dir", "--dedup-horizon");
    }
  }

  @Test
  void anOptionNameMeansOneThingInEveryCommand() {
    assertThat(usage("generate")).contains("--count=N").doesNotContain("--events");
    assertThat(usage("replay")).contains("--events=FILE", "--fault-seed=N");
    assertThat(usage("local")).contains("--events=FILE", "--fault-seed=N");
  }

  private String usage(String command) {
    return cli.getSubcommands().get(command).getUsageMessage();
  }
}
