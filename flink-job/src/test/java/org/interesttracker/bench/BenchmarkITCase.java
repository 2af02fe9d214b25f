package org.interesttracker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
    // Enough events that the pass-through's window, at a few hundred thousand events a second,
    // lasts long enough for the process's CPU time to move.
    List<EventLogRecord> events =
        SyntheticGenerator.generate(defaults.withScale(7L, 200, 300, 12_000)).stream().toList();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    BenchmarkReport report =
        new Benchmark(JobSettings.builder().parallelism(1), 16, 1, 0)
            .run(events, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(report.pipelineEvents()).isEqualTo(events.size());
    for (PipelineThroughput.Measurement steadyState :
        List.of(report.pipelineInFreshJvm(), report.passThrough(), report.pipeline())) {
      // The window leaves out the warm-up and the last few outputs, give or take one poll.
      assertThat(steadyState.events())
          .isBetween((int) (events.size() * 0.65) - 100, (int) (events.size() * 0.65) + 100);
      assertThat(steadyState.eventsPerSecond()).isPositive();
      assertThat(steadyState.cpuMicrosPerEvent()).isPositive();
    }
    assertThat(report.modelStepEventsPerSecondBatch1()).isPositive();
    assertThat(report.modelStepEventsPerSecondBatched()).isPositive();
    assertThat(report.longHistoryLength()).isEqualTo(200);
    assertThat(report.longHistoryStepEventsPerSecondBatch1()).isPositive();
    assertThat(report.longHistoryStepEventsPerSecondBatched()).isPositive();
    // Per kept event 14 bytes of tokens, per cached vector 64: L - 1 + W events, L - 1 vectors.
    assertThat(report.modelStateBytesFullHistory()).isEqualTo(8 + 65 * 14 + 49 * 64);
    assertThat(report.longHistoryModelStateBytesFullHistory()).isEqualTo(8 + 215 * 14 + 199 * 64);
    assertThat(report.userScaling()).isNull();
    assertThat(report.passThrough().latency()).isNull();
    assertThat(report.pipelineInFreshJvm().latency().samples()).isPositive();
    assertThat(report.passThroughRuns())
        .hasSize(3)
        .contains(report.passThrough().eventsPerSecond());
    assertThat(report.pipelineRuns()).hasSize(3).contains(report.pipeline().eventsPerSecond());
    // Latency is measured after each warm run at half its throughput; each percentile is the
    // median over the runs.
    assertThat(report.pipeline().latencyRate()).isEqualTo(Median.of(report.pipelineRuns()) / 2);
    assertThat(report.pipelineLatencies()).hasSize(3);
    assertThat(report.pipeline().latency().samples())
        .isEqualTo(report.pipelineLatencies().stream().mapToLong(l -> l.samples()).sum());
    assertThat(report.pipeline().latency().p99Ms())
        .isEqualTo(Median.of(report.pipelineLatencies().stream().map(l -> l.p99Ms()).toList()));
    assertThat(report.pipeline().latencyUnanswered()).isZero();
    assertThat(report.pipeline().latency().p50Ms())
        .isPositive()
        .isLessThanOrEqualTo(report.pipeline().latency().p99Ms());
    assertThat(report.pipelineShareOfPassThrough())
        .isEqualTo(report.pipeline().eventsPerSecond() / report.passThrough().eventsPerSecond());
    // A history entry and a remembered event id take more than 10 bytes each, a cached vector 64;
    // the caps on all three keep a user's state within a few kilobytes.
    assertThat(report.stateBytesPerUserMedian()).isBetween(100.0, 8192.0);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains(
            "model step alone, L = 50 ",
            "model step alone, L = 200",
            "model state of a full history",
            "fresh JVM",
            "pass-through",
            "whole pipeline",
            "latency at",
            "state per user");
  }
}
