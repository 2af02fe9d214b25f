package org.interesttracker.bench;

import java.io.PrintStream;
import java.util.List;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.job.JobSettings;
import org.interesttracker.synthetic.SyntheticConfig;
import org.interesttracker.synthetic.SyntheticGenerator;

/**
 * How the whole job's steady-state throughput holds up as its users grow: the same number of
 * synthetic events from {@value #FEW_USERS} users (long histories, state that stays warm) and from
 * {@value #MANY_USERS} (about one event each: every event reads and writes a cold key).
 */
final class UserScaling {
  static final int FEW_USERS = 10_000;
  static final int MANY_USERS = 1_000_000;

  /**
   * @param fewUsers throughput with {@value #FEW_USERS} users
   * @param manyUsers throughput with {@value #MANY_USERS} users
   */
  public record Figures(
      int events,
      PipelineThroughput.Measurement fewUsers,
      PipelineThroughput.Measurement manyUsers) {
    public double ratio() {
      return manyUsers.eventsPerSecond() / fewUsers.eventsPerSecond();
    }
  }

  private UserScaling() {}

  static Figures measure(int events, JobSettings.Builder job, PrintStream out) throws Exception {
    PipelineThroughput.Measurement few = run(events, FEW_USERS, job);
    out.printf("whole pipeline, %,9d users:  %,12.0f events/s%n", FEW_USERS, few.eventsPerSecond());
    PipelineThroughput.Measurement many = run(events, MANY_USERS, job);
    out.printf(
        "whole pipeline, %,9d users:  %,12.0f events/s (%.2fx)%n",
        MANY_USERS, many.eventsPerSecond(), many.eventsPerSecond() / few.eventsPerSecond());
    return new Figures(events, few, many);
  }

  private static PipelineThroughput.Measurement run(int events, int users, JobSettings.Builder job)
      throws Exception {
    SyntheticConfig defaults = SyntheticConfig.defaults();
    List<EventLogRecord> log =
        SyntheticGenerator.generate(
                defaults.withScale(defaults.seed(), users, defaults.items(), events))
            .events();
    return PipelineThroughput.throughput(log, job, PipelineThroughput.Workflow.FULL);
  }
}
