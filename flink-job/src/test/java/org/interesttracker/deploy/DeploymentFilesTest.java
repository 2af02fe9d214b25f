package org.interesttracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.job.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, deploy/flink/config.yaml and the deploy scripts agree with each other and
 * with the job: topic names, broker address, slots for the parallelism, checkpoint storage on the
 * shared volume, the metrics port.
 */
class DeploymentFilesTest {
  private static final Path COMPOSE = DeploymentFiles.COMPOSE;
  private static final Path DEPLOY = DeploymentFiles.DEPLOY;
  private static final Path MONITORING = DeploymentFiles.MONITORING;
  private static final List<String> FLINK_SERVICES = DeploymentFiles.FLINK_SERVICES;
  private static final List<String> TASK_MANAGERS = FLINK_SERVICES.subList(1, 3);
  private static final String PROMETHEUS_PORT = "9249";

  private static ComposeFile compose;
  private static Configuration flink;

  @BeforeAll
  static void readFiles() throws IOException {
    compose = ComposeFile.read(COMPOSE);
    // Flink's own parser: the keys checked below are Flink's typed options, not strings.
    flink = GlobalConfiguration.loadConfiguration(DEPLOY.resolve("flink").toString());
  }

  @Test
  void dockerComposeAcceptsTheFile() throws Exception {
    assumeThat(commandExists("docker-compose"))
        .as("docker-compose is not installed (apt-get install docker-compose)")
        .isTrue();

    Process process =
        new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void flinkKeepsRocksDbStateInIncrementalCheckpointsOnTheSharedVolume() {
    assertThat(flink.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(flink.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(flink.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");

    String sharedVolume = "flink-data:/flink-data";
    assertThat(compose.namedVolumes()).containsKey("flink-data");
    FLINK_SERVICES.forEach(
        service -> assertThat(compose.volumes(service)).as(service).contains(sharedVolume));
    assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .startsWith("file:///flink-data/");
    assertThat(flink.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
        .startsWith("file:///flink-data/");
  }

  @Test
  void everyFlinkProcessServesPrometheusMetricsOnAPublishedPort() {
    String port =
        flink.get(ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue());
    assertThat(port).isEqualTo(PROMETHEUS_PORT);
    assertThat(
            flink.get(
                ConfigOptions.key("metrics.reporter.prom.factory.class")
                    .stringType()
                    .noDefaultValue()))
        .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    assertThat(compose.ports("jobmanager")).contains("8081:8081", "9249:" + port);
    assertThat(FLINK_SERVICES.stream().flatMap(service -> compose.ports(service).stream()))
        .filteredOn(mapping -> mapping.endsWith(":" + port))
        .extracting(mapping -> mapping.split(":")[0])
        .containsExactlyInAnyOrder("9249", "9250", "9251");
  }

  @Test
  void prometheusScrapesEveryFlinkProcessAndGrafanaReadsPrometheus() throws IOException {
    Object prometheus = yaml(MONITORING.resolve("prometheus.yml"));
    assertThat(at(prometheus, "scrape_configs", 0, "static_configs", 0, "targets"))
        .isEqualTo(
            FLINK_SERVICES.stream().map(service -> service + ":" + PROMETHEUS_PORT).toList());
    assertThat(compose.volumes("prometheus"))
        .contains("./deploy/monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    assertThat(compose.command("prometheus"))
        .contains("--config.file=/etc/prometheus/prometheus.yml");

    String prometheusPort = compose.ports("prometheus").get(0).split(":")[1];
    Object dataSources =
        yaml(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml"));
    assertThat(at(dataSources, "datasources", 0, "url"))
        .isEqualTo("http://prometheus:" + prometheusPort);
    Object dataSourceUid = at(dataSources, "datasources", 0, "uid");
    assertThat(GrafanaDashboard.read().dataSourceUids())
        .containsOnly(String.valueOf(dataSourceUid));

    Object dashboards =
        yaml(MONITORING.resolve("grafana/provisioning/dashboards/interest-tracker.yml"));
    String dashboardDir = String.valueOf(at(dashboards, "providers", 0, "options", "path"));
    assertThat(compose.volumes("grafana"))
        .contains(
            "./deploy/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro",
            "./deploy/monitoring/grafana/dashboards:" + dashboardDir + ":ro");
  }

  @Test
  void theDashboardPlotsDeadLettersOfEveryReason() throws IOException {
    Set<String> plotted = GrafanaDashboard.read().metricNames();
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      assertThat(plotted)
          .as("dead letters of reason %s", reason)
          .contains("flink_taskmanager_job_task_operator_dead_letters_" + reason);
    }
  }

  @Test
  void theSubmittedJobFitsTheSlotsAndTheInputPartitions() {
    int parallelism = Integer.parseInt(compose.option("submit", "--parallelism"));
    int slots = flink.get(TaskManagerOptions.NUM_TASK_SLOTS) * TASK_MANAGERS.size();

    assertThat(parallelism).isLessThanOrEqualTo(slots);
    // More source subtasks than input partitions would leave some without work.
    assertThat(parallelism)
        .isLessThanOrEqualTo(TopicSetup.DEFAULT_PARTITIONS.get(Topics.INTERACTIONS));
    assertThat(compose.command("submit")).startsWith("/opt/interest-tracker/bin/submit-job.sh");
  }

  @Test
  void everyClientUsesTheBrokersInternalListenerAndTheJobsTopics() {
    String advertised = compose.environment("kafka", "KAFKA_ADVERTISED_LISTENERS");
    String internal = advertised.split(",")[0].replace("PLAINTEXT://", "");
    assertThat(internal).isEqualTo("kafka:9092");
    for (String client : List.of("topics", "submit", "generator")) {
      assertThat(compose.option(client, "--bootstrap-servers")).as(client).isEqualTo(internal);
    }
    assertThat(compose.command("topics")).contains("create-topics");
    assertThat(compose.option("generator", "--topic")).isEqualTo(Topics.INTERACTIONS);
    assertThat(compose.command("generator"))
        .contains("replay", "--rate", "--max-events", "--duplicate-rate", "--malformed-rate");
  }

  @Test
  void everyPortIsPublishedOnLoopbackUnlessTheOperatorChoosesAnAddress() {
    for (String service : compose.services()) {
      assertThat(compose.publishAddresses(service))
          .as(service)
          .allMatch(address -> address.equals("${PUBLISH_ADDRESS:-127.0.0.1}"));
    }
    assertThat(compose.services().stream().flatMap(service -> compose.ports(service).stream()))
        .hasSizeGreaterThanOrEqualTo(7);
  }

  @Test
  void theWebUiCanNeitherRunNorCancelJobs() {
    assertThat(flink.get(WebOptions.SUBMIT_ENABLE)).isFalse();
    assertThat(flink.get(WebOptions.CANCEL_ENABLE)).isFalse();
  }

  @Test
  void imagesAreTheOfficialKafkaOfTheClientsVersionAndFlink22OnJava17() throws IOException {
    Matcher kafkaVersion =
        Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
            .matcher(Files.readString(DeploymentFiles.REPOSITORY.resolve("pom.xml")));
    assertThat(kafkaVersion.find()).isTrue();
    // The local cluster runs the broker of this version too (cluster/kafka/pom.xml).
    assertThat(String.valueOf(compose.service("kafka").get("image")))
        .isEqualTo("apache/kafka:" + kafkaVersion.group(1));
    assertThat(Files.readAllLines(DEPLOY.resolve("Dockerfile")))
        .anySatisfy(line -> assertThat(line).matches("ARG FLINK_IMAGE=flink:2\\.2[.\\d]*-java17"));
  }

  @Test
  void theImageBuildCopiesEveryFolderTheJarIsBuiltFrom() throws IOException {
    String pom = Files.readString(DeploymentFiles.REPOSITORY.resolve("flink-job/pom.xml"));
    // The folders outside flink-job whose files end up in the jar: resources and Avro schemas.
    Matcher folders =
        Pattern.compile("<(?:directory|sourceDirectory)>\\$\\{project.basedir}/\\.\\./([^<]+)<")
            .matcher(pom);
    List<String> copied =
        Files.readAllLines(DEPLOY.resolve("Dockerfile")).stream()
            .filter(line -> line.startsWith("COPY ") && !line.contains("--from="))
            .map(line -> line.split("\\s+")[1])
            .toList();
    List<String> ignored = Files.readAllLines(DEPLOY.resolve("Dockerfile.dockerignore"));
    int found = 0;
    for (; folders.find(); found++) {
      String folder = folders.group(1);
      assertThat(copied).as("COPY of %s", folder).anyMatch(folder::startsWith);
      String top = folder.split("/")[0];
      if (ignored.contains(top)) {
        assertThat(ignored)
            .as("%s re-included in the build context", folder)
            .contains("!" + folder);
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theImageBuildCopiesThePomOfEveryModuleTheReactorReads() throws IOException {
    Matcher modules =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(DeploymentFiles.REPOSITORY.resolve("pom.xml")));
    List<String> dockerfile = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
    int found = 0;
    for (; modules.find(); found++) {
      String pom = modules.group(1) + "/pom.xml";
      assertThat(dockerfile).as("COPY of %s", pom).contains("COPY " + pom + " " + pom);
    }
    assertThat(found).isEqualTo(3);
  }

  @Test
  void deployScriptsAreExecutableBash() throws Exception {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(DEPLOY)) {
      scripts = files.filter(file -> file.toString().endsWith(".sh")).sorted().toList();
    }
    assertThat(scripts)
        .extracting(script -> script.getFileName().toString())
        .containsExactly("interest-tracker.sh", "submit-job.sh");
    for (Path script : scripts) {
      assertThat(Files.isExecutable(script)).as(script.toString()).isTrue();
      Process syntaxCheck =
          new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
      String output =
          new String(syntaxCheck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(syntaxCheck.waitFor()).as(script + ": " + output).isZero();
    }
  }

  private static Object yaml(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return new Yaml().load(reader);
    }
  }

  /** The value at a path of map keys and list indexes in parsed YAML. */
  private static Object at(Object node, Object... path) {
    for (Object step : path) {
      node =
          step instanceof Integer index
              ? ((List<?>) node).get(index)
              : ((Map<?, ?>) node).get(step);
    }
    return node;
  }

  private static boolean commandExists(String command) {
    return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
        .map(dir -> Path.of(dir, command))
        .anyMatch(Files::isExecutable);
  }
}
