package org.interesttracker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.JobSettings;
import org.interesttracker.synthetic.SyntheticConfig;
import org.interesttracker.synthetic.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * The benchmark runs end to end on a small log and reports figures that are consistent with each
 * other; it does not judge speed, which belongs to the benchmark command's own output.
 */
class BenchmarkITCase {

  @Test
  void measuresTheModelAndThePipelineOnTheSameEvents() throws Exception {
    SyntheticConfig defaults = SyntheticConfig.defaults();
    List<EventLogRecord> events =
        SyntheticGenerator.generate(defaults.withScale(7L, 200, 300, 600)).stream().toList();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    BenchmarkReport report =
        new Benchmark(
                JobSettings.builder().parallelism(1),
                100,
                16,
                1,
                Path.of(BenchmarkITCase.class.getResource("/streaming-step").toURI()))
            .run(events, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(report.pipelineEvents()).isEqualTo(events.size());
    for (PipelineThroughput.Measurement steadyState :
        List.of(report.passThrough(), report.pipeline())) {
      // The window leaves out the warm-up and the last few outputs, give or take one poll.
      assertThat(steadyState.events())
          .isBetween((int) (events.size() * 0.65) - 100, (int) (events.size() * 0.65) + 100);
      assertThat(steadyState.eventsPerSecond()).isPositive();
      assertThat(steadyState.cpuMicrosPerEvent()).isPositive();
    }
    assertThat(report.modelRequests()).isEqualTo(100);
    assertThat(report.modelEventsPerSecondBatch1()).isPositive();
    assertThat(report.modelEventsPerSecondBatched()).isPositive();
    assertThat(report.recommenderEventsPerSecond()).isPositive();
    assertThat(report.streamingStepEventsPerSecondBatch1()).isPositive();
    assertThat(report.streamingStepEventsPerSecondBatched()).isPositive();
    assertThat(report.pipelineShareOfPassThrough())
        .isEqualTo(report.pipeline().eventsPerSecond() / report.passThrough().eventsPerSecond());
    // A history entry and a remembered event id take more than 10 bytes each; the cap on both
    // keeps a user's state within a few kilobytes.
    assertThat(report.stateBytesPerUserMedian()).isBetween(100.0, 8192.0);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("streaming step alone", "pass-through", "whole pipeline", "state per user");
  }
}
