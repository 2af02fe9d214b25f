package org.interesttracker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.interesttracker.job.JobSettings;
import org.interesttracker.job.Topics;
import org.interesttracker.local.LocalRunConfig;
import org.interesttracker.local.LocalRunReport;
import org.interesttracker.local.LocalRunner;
import org.interesttracker.local.LogFile;
import org.interesttracker.local.LoopbackOnly;
import org.interesttracker.local.ReportFormatter;
import org.interesttracker.local.WebUi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs everything in this process: Kafka, the job on a Flink MiniCluster with its web UI, a replay
 * of the synthetic generator or an event log, and a report.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Starts an in-process Kafka broker and a Flink MiniCluster, runs the job, replays events"
          + " into it and reports counts, throughput and latency:",
      "  java -jar flink-job/target/interest-tracker.jar local",
      "Exits with 1 if sent events do not equal events answered + dead letters + duplicates dropped."
    })
final class LocalCommand implements Callable<Integer> {
  static final long DEFAULT_MAX_EVENTS = 100_000;
  static final double DEFAULT_DUPLICATE_RATE = 0.01;
  static final double DEFAULT_MALFORMED_RATE = 0.001;
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);
  // Stands in for the broker's address until it has started and the runner sets it.
  private static final String EMBEDDED_BROKER = "embedded:0";

  @Spec CommandSpec spec;

  @Option(
      names = "--web-port",
      paramLabel = "PORT",
      description = "Port of the Flink web UI; 0 = no web UI (default ${DEFAULT-VALUE}).")
  int webPort = 8081;

  @Option(
      names = "--web-bind",
      paramLabel = "ADDRESS",
      description =
          "Address the web UI listens on (default ${DEFAULT-VALUE}: this machine only). Another"
              + " address, 0.0.0.0 for every interface, shows the job, its configuration, logs"
              + " and metrics to everyone who can reach it; Kafka and Flink's other ports stay"
              + " on loopback.")
  String webBind = LoopbackOnly.LOOPBACK;

  @Option(
      names = "--web-submit",
      description =
          "Let the web UI upload and run jars and cancel jobs (off by default). Whoever reaches"
              + " the web UI can then run any code in this process, as this user.")
  boolean webSubmit;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the report as JSON, for scripts and CI.")
  Path reportFile;

  @Option(
      names = "--keep-running",
      description = "After the report, keep the job and web UI up until Ctrl-C.")
  boolean keepRunning;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "After the last event was sent, how long to wait for more output before the run fails"
              + " (default 60s).")
  Duration drainTimeout = Duration.ofSeconds(60);

  @Mixin
  ReplayOptions replay =
      new ReplayOptions(DEFAULT_MAX_EVENTS, DEFAULT_DUPLICATE_RATE, DEFAULT_MALFORMED_RATE);

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description =
          "Where the log of Kafka, Flink and the job goes, so the console shows only progress and"
              + " the report (default: interest-tracker-local.log in the system's temporary"
              + " directory); - keeps it on the console.")
  String logFile =
      Path.of(System.getProperty("java.io.tmpdir"), "interest-tracker-local.log").toString();

  @Mixin JobOptions jobOptions;

  @Override
  public Integer call() throws Exception {
    // Bad options, a busy port and a bad model directory fail here, before anything starts.
    replay.settings(Topics.INTERACTIONS);
    WebUi webUi = new WebUi(webPort, webBind, webSubmit);
    requireFreePort(webPort);
    JobSettings.Builder job = jobOptions.toBuilder();
    JobSettings checked = job.bootstrapServers(EMBEDDED_BROKER).build();
    checked.loadModel();
    LocalRunConfig config =
        new LocalRunConfig(
            job, replay::settings, replay.source(), webUi, drainTimeout, PROGRESS_INTERVAL);
    PrintWriter out = spec.commandLine().getOut();
    if ("-".equals(logFile)) {
      return run(config, out);
    }
    out.println("Log of Kafka, Flink and the job: " + logFile);
    try (LogFile ignored = LogFile.redirectTo(Path.of(logFile))) {
      return run(config, out);
    }
  }

  private int run(LocalRunConfig config, PrintWriter out) throws Exception {
    LocalRunner runner = new LocalRunner(config, out);
    Thread closeOnExit = new Thread(() -> closeQuietly(runner), "local-shutdown");
    Runtime.getRuntime().addShutdownHook(closeOnExit);
    try {
      LocalRunReport report = runner.run(replay::openEvents);
      out.println();
      out.print(ReportFormatter.format(report));
      out.flush();
      if (reportFile != null) {
        JsonReports.write(reportFile, report);
      }
      if (keepRunning) {
        out.println(
            "Job and web UI keep running; progress is printed whenever the job processes"
                + " something (a replay from another shell into the broker above, for instance);"
                + " press Ctrl-C to stop.");
        out.flush();
        runner.keepReporting();
        runner.awaitClose();
      }
      return report.countsAddUp() ? 0 : 1;
    } finally {
      runner.close();
      if (!keepRunning) {
        Runtime.getRuntime().removeShutdownHook(closeOnExit);
      }
    }
  }

  private static void requireFreePort(int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "port "
              + port
              + " for the Flink web UI is in use; choose another with --web-port, or 0 for no"
              + " web UI");
    }
  }

  private static void closeQuietly(LocalRunner runner) {
    try {
      runner.close();
    } catch (Exception e) {
      System.err.println("error while stopping: " + e.getMessage());
    }
  }
}
