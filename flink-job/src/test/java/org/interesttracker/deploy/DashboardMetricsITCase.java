package org.interesttracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.job.InterestTrackerJob;
import org.interesttracker.job.JobSettings;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.Jobs;
import org.interesttracker.testing.OutputRecords;
import org.interesttracker.testing.TopicContents;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard plots is one the running job reports: the job runs on a
 * MiniCluster with Flink's Prometheus reporter, as on the docker-compose cluster, and the
 * dashboard's metric names are looked up in what the reporter serves. A renamed or removed metric
 * fails here instead of leaving an empty panel.
 */
class DashboardMetricsITCase extends FlinkAndKafkaTestBase {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void everyMetricTheDashboardPlotsIsReportedByTheRunningJob() throws Exception {
    JobSettings settings = settingsFor(newRun()).parallelism(2).build();
    createTopics(settings);
    List<InteractionEvent> events = InteractionEvents.range(0, 40);
    InteractionEvents.send(kafka.bootstrapServers(), settings.inputTopic(), events);
    OutputRecords.send(
        kafka.bootstrapServers(),
        settings.inputTopic(),
        List.of("not an event".getBytes(StandardCharsets.UTF_8)));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    JobClient job = env.executeAsync(InterestTrackerJob.JOB_NAME);
    try {
      TopicContents.await(
          kafka.bootstrapServers(),
          settings.recommendationTopic(),
          Recommendation.class,
          events.size(),
          TIMEOUT);

      Set<String> plotted = GrafanaDashboard.read().metricNames();
      Set<String> notReported = new TreeSet<>(plotted);
      notReported.removeAll(reportedMetricNames());
      assertThat(plotted).isNotEmpty();
      assertThat(notReported)
          .as("metrics the dashboard plots that the job does not report")
          .isEmpty();
    } finally {
      Jobs.cancel(job);
    }
  }

  /** The metric names in the Prometheus reporter's exposition, without labels or samples. */
  private static Set<String> reportedMetricNames() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + PROMETHEUS_PORT + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Set<String> names = new TreeSet<>();
    for (String line : response.body().lines().toList()) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }
}
