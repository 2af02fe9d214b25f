package org.interesttracker.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.Topics;
import org.interesttracker.local.ProgressTicker;
import org.interesttracker.replay.EventSendListener;
import org.interesttracker.replay.KafkaEventReplayer;
import org.interesttracker.replay.ReplayResult;
import org.interesttracker.replay.ReplaySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Replays an event log into any Kafka as the job's input, optionally with injected faults. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Writes an event log to a Kafka topic as InteractionEvent records:",
      "  java -jar interest-tracker.jar replay --bootstrap-servers kafka:9092 --events log.csv"
    })
final class ReplayCommand implements Callable<Integer> {
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "Topic to write to (default ${DEFAULT-VALUE}).")
  String topic = Topics.INTERACTIONS;

  @Mixin ReplayOptions replay = new ReplayOptions(EventSourceOptions.ALL_EVENTS, 0, 0);

  @Override
  public Integer call() throws Exception {
    ReplaySettings settings = replay.settings(topic);
    Map<String, Object> producerConfig = kafka.clientConfig();
    kafka.requireTopic(topic);
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (Stream<EventLogRecord> events = replay.openEvents();
        KafkaEventReplayer replayer =
            new KafkaEventReplayer(settings, producerConfig, EventSendListener.NONE);
        ProgressTicker ticker =
            new ProgressTicker(
                out, PROGRESS_INTERVAL, () -> "sent " + replayer.recordsSent() + " records")) {
      ReplayResult result = replayer.replay(events.iterator());
      double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
      out.printf(
          "Replayed %d events to %s in %.1f s (%.0f records/s): %d duplicates and %d malformed"
              + " records injected %s%n",
          result.validSent(),
          topic,
          seconds,
          result.recordsSent() / seconds,
          result.duplicatesInjected(),
          result.malformedTotal(),
          result.malformedInjected());
      out.flush();
    }
    return 0;
  }
}
