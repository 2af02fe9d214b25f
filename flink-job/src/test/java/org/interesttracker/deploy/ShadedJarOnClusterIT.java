package org.interesttracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.RemoteExecutor;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.job.JobSettings;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.JobArguments;
import org.interesttracker.testing.JobOutputs;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar submitted as {@code flink run} submits it: the client runs the jar's main class
 * with the {@code run} command in a child-first user-code class loader over the jar, and the
 * cluster's tasks load the job's classes from the jar uploaded with the job, also child-first. The
 * job's classes and its bundled libraries (Kafka clients, Avro, picocli) are thus taken from the
 * jar, as on a real cluster; only Flink's own packages (org.apache.flink.*) resolve parent-first,
 * as they do there. A jar missing a class, or bundling one that clashes with Flink, fails here.
 *
 * <p>Needs the jar: runs in {@code mvn verify} (failsafe, after {@code package}); skipped when the
 * jar has not been built.
 */
class ShadedJarOnClusterIT extends FlinkAndKafkaTestBase {
  private static final Path JAR = Path.of("target", "interest-tracker-job.jar").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void theJarRunsOnTheClusterFromItsOwnClasses(@InjectClusterClient ClusterClient<?> cluster)
      throws Exception {
    assumeThat(Files.isRegularFile(JAR))
        .as("%s has not been built: run `mvn verify` (or `mvn package` first)", JAR)
        .isTrue();
    String run = newRun();
    JobSettings settings = settingsFor(run).parallelism(2).build();
    createTopics(settings);
    List<InteractionEvent> events = InteractionEvents.range(0, 200);
    InteractionEvents.send(kafka.bootstrapServers(), settings.inputTopic(), events);

    PackagedProgram program = program(settings);
    assertThat(
            program
                .getUserCodeClassLoader()
                .loadClass("org.interesttracker.job.InterestTrackerJob")
                .getProtectionDomain()
                .getCodeSource()
                .getLocation())
        .isEqualTo(JAR.toUri().toURL());
    ClientUtils.executeProgram(
        new DefaultExecutorServiceLoader(), detachedSubmission(), program, true, false);

    JobOutputs expected = JobOutputs.expected(settings, events);
    assertThat(JobOutputs.await(kafka.bootstrapServers(), settings, expected, TIMEOUT))
        .isEqualTo(expected);
    cancelRunningJobs(cluster);
  }

  /**
   * The program as {@code flink run interest-tracker-job.jar run --bootstrap-servers ...} gives it.
   */
  private static PackagedProgram program(JobSettings settings) throws Exception {
    Configuration configuration = new Configuration();
    configuration.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "child-first");
    return PackagedProgram.newBuilder()
        .setJarFile(JAR.toFile())
        .setConfiguration(configuration)
        .setArguments(JobArguments.of(settings).toArray(String[]::new))
        .build();
  }

  /**
   * Submits to the cluster's REST endpoint and returns, as {@code flink run --detached}, which also
   * ships the jar with the job so the cluster's user-code class loader sees it.
   */
  private static Configuration detachedSubmission() throws Exception {
    Configuration configuration = new Configuration(FLINK.getClientConfiguration());
    configuration.set(PipelineOptions.JARS, List.of(JAR.toUri().toURL().toString()));
    configuration.set(DeploymentOptions.TARGET, RemoteExecutor.NAME);
    configuration.set(DeploymentOptions.ATTACHED, false);
    configuration.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "child-first");
    return configuration;
  }

  private static void cancelRunningJobs(ClusterClient<?> cluster) throws Exception {
    for (JobStatusMessage job : cluster.listJobs().get()) {
      if (job.getJobState() == JobStatus.RUNNING) {
        cluster.cancel(job.getJobId()).get();
      }
    }
  }
}
