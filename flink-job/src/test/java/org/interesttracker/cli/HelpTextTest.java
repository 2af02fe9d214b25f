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
    assertNamedPlaceholders(cli);
  }

  /** Down to the subcommands of subcommands, such as {@code model publish}. */
  private static void assertNamedPlaceholders(CommandLine parent) {
    for (Map.Entry<String, CommandLine> command : parent.getSubcommands().entrySet()) {
      // picocli falls back to <fieldName> where an option has no label.
      assertThat(command.getValue().getUsageMessage())
          .as(command.getValue().getCommandSpec().qualifiedName())
          .doesNotContainPattern("<[a-z]+[A-Z][A-Za-z]*>");
      assertNamedPlaceholders(command.getValue());
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
    // The commands that talk to the running job name its topics as run does.
    for (String command : new String[] {"run", "forget"}) {
      assertThat(usage(command))
          .as(command)
          .contains("--control-topic=TOPIC", "--operations-topic=TOPIC");
    }
    for (String command : new String[] {"publish", "promote", "rollback", "status"}) {
      assertThat(cli.getSubcommands().get("model").getSubcommands().get(command).getUsageMessage())
          .as("model " + command)
          .contains("--bootstrap-servers=HOST:PORT", "--control-topic=TOPIC", "--timeout=DURATION");
    }
  }

  private String usage(String command) {
    return cli.getSubcommands().get(command).getUsageMessage();
  }
}
