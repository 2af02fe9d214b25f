package org.interesttracker.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.interesttracker.job.JobSettings;
import org.interesttracker.testing.FreePorts;
import org.interesttracker.testing.JobArguments;

/**
 * The cluster of {@code cluster/local-cluster.sh}, driven as an operator drives it: four processes
 * started, killed and started again by the script, the job submitted and stopped with the flink
 * CLI. Only the job's state is read through the REST API, as the web UI reads it. Each instance has
 * free ports and a run directory of its own.
 */
final class LocalCluster implements AutoCloseable {
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  static final Path JOB_JAR = REPOSITORY.resolve("flink-job/target/interest-tracker-job.jar");
  private static final Path SCRIPT = REPOSITORY.resolve("cluster/local-cluster.sh");
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
  private static final Pattern SUBMITTED = Pattern.compile("submitted with JobID ([0-9a-f]{32})");
  private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path runDir;
  private final Map<String, String> environment = new HashMap<>();
  private final String host;

  private LocalCluster(Path runDir, Map<String, String> settings) {
    this.runDir = runDir;
    environment.putAll(settings);
    host = settings.getOrDefault("CLUSTER_HOST", "127.0.0.1");
    environment.put("LOCAL_CLUSTER_DIR", runDir.toString());
    environment.put("FLINK_REST_PORT", String.valueOf(FreePorts.pick()));
    environment.put("FLINK_RPC_PORT", String.valueOf(FreePorts.pick()));
    environment.put("KAFKA_PORT", String.valueOf(FreePorts.pick()));
    environment.put("KAFKA_CONTROLLER_PORT", String.valueOf(FreePorts.pick()));
    environment.put("KAFKA_SASL_PORT", String.valueOf(FreePorts.pick()));
    // The JobManager's port; the TaskManagers take the next two.
    environment.put("PROMETHEUS_PORT", String.valueOf(FreePorts.pick()));
    environment.put("INTEREST_TRACKER_JAR", JOB_JAR.toString());
  }

  /** Whether {@code mvn package} has gathered the cluster's jars and built the job jar. */
  static boolean isBuilt() {
    return Files.isDirectory(REPOSITORY.resolve("cluster/flink/target/lib"))
        && Files.isDirectory(REPOSITORY.resolve("cluster/kafka/target/lib"))
        && Files.isRegularFile(JOB_JAR);
  }

  /** Starts every process and returns when Kafka serves and both TaskManagers registered. */
  static LocalCluster start(Path runDir) {
    return start(runDir, Map.of());
  }

  /**
   * As {@link #start(Path)}, with settings of the script given as its environment variables, such
   * as {@code CLUSTER_HOST} or {@code TASKMANAGER_2_NETNS}.
   */
  static LocalCluster start(Path runDir, Map<String, String> settings) {
    LocalCluster cluster = new LocalCluster(runDir, settings);
    cluster.script("start");
    return cluster;
  }

  String bootstrapServers() {
    return host + ":" + environment.get("KAFKA_PORT");
  }

  /** The broker's listener that requires SASL (PLAIN) authentication. */
  String saslBootstrapServers() {
    return host + ":" + environment.get("KAFKA_SASL_PORT");
  }

  /** The client properties that authenticate on {@link #saslBootstrapServers()}. */
  Path saslClientProperties() {
    return runDir.resolve("kafka-sasl-client.properties");
  }

  URI rest(String path) {
    return URI.create("http://" + host + ":" + environment.get("FLINK_REST_PORT") + path);
  }

  Path runDir() {
    return runDir;
  }

  void kill(String process) {
    script("kill-process", process);
  }

  void startAgain(String process) {
    script("start-process", process);
  }

  void awaitReady() {
    script("wait-until-ready");
  }

  /**
   * {@code deploy/submit-job.sh} with the settings' command line and more options; the job starts
   * from a savepoint or retained checkpoint when given. Returns the job's id.
   *
   * @throws ScriptFailure with what the CLI printed, when the submission failed
   */
  String submit(JobSettings settings, Optional<String> restoreFrom, List<String> moreOptions) {
    List<String> command = new ArrayList<>(List.of("submit"));
    command.addAll(JobArguments.options(settings));
    command.addAll(moreOptions);
    Map<String, String> restore =
        restoreFrom.map(path -> Map.of("RESTORE_FROM", path)).orElse(Map.of());
    return find(SUBMITTED, script(restore, command.toArray(String[]::new)));
  }

  /** {@code flink stop --savepointPath ...}: the job stops after a savepoint; returns its path. */
  String stopWithSavepoint(String jobId) {
    String savepoints = "file://" + runDir.resolve("flink-data/savepoints");
    return find(SAVEPOINT, script("flink", "stop", "--savepointPath", savepoints, jobId));
  }

  /**
   * {@code flink cancel}, which returns when cancelling began; waits until the job is cancelled.
   */
  void cancel(String jobId) throws InterruptedException {
    script("flink", "cancel", jobId);
    await(
        () -> job(jobId),
        job -> job.path("state").asText().equals("CANCELED"),
        COMMAND_TIMEOUT,
        "job " + jobId + " cancelled");
  }

  /** The newest completed checkpoint the job retained, as an operator finds it on disk. */
  String latestCheckpoint(String jobId) {
    return script("latest-checkpoint", jobId).lines().reduce((first, last) -> last).orElseThrow();
  }

  /** The job as {@code GET /jobs/<id>} describes it. */
  JsonNode job(String jobId) {
    return get("/jobs/" + jobId);
  }

  /** Waits until every task of the job runs. */
  void awaitRunning(String jobId, Duration timeout) throws InterruptedException {
    await(
        () -> job(jobId),
        job ->
            job.path("state").asText().equals("RUNNING")
                && job.path("vertices").findValues("status").stream()
                    .allMatch(status -> status.asText().equals("RUNNING")),
        timeout,
        "job " + jobId + " running with every task");
  }

  /** Waits until the job completed at least {@code count} checkpoints since it was submitted. */
  void awaitCompletedCheckpoints(String jobId, int count, Duration timeout)
      throws InterruptedException {
    await(
        () -> get("/jobs/" + jobId + "/checkpoints"),
        checkpoints -> checkpoints.path("counts").path("completed").asInt() >= count,
        timeout,
        count + " completed checkpoints of job " + jobId);
  }

  /** The process name of a TaskManager that runs tasks of the job's first operator. */
  String taskManagerRunning(String jobId) {
    String vertex = job(jobId).path("vertices").get(0).path("id").asText();
    return get("/jobs/" + jobId + "/vertices/" + vertex + "/taskmanagers")
        .path("taskmanagers")
        .get(0)
        .path("taskmanager-id")
        .asText();
  }

  /** Waits until the JobManager counts exactly these TaskManagers, by process name, as alive. */
  void awaitRegisteredTaskManagers(Set<String> expected, Duration timeout)
      throws InterruptedException {
    await(
        () -> get("/taskmanagers"),
        taskManagers -> {
          Set<String> registered = new HashSet<>();
          taskManagers.path("taskmanagers").forEach(tm -> registered.add(tm.path("id").asText()));
          return registered.equals(expected);
        },
        timeout,
        "exactly the registered TaskManagers " + expected);
  }

  /**
   * The root causes of the job's failures, oldest last, as the web UI's Exceptions tab lists them.
   */
  List<String> failures(String jobId) {
    List<String> failures = new ArrayList<>();
    get("/jobs/" + jobId + "/exceptions")
        .path("exceptionHistory")
        .path("entries")
        .forEach(
            entry ->
                failures.add(
                    entry.path("exceptionName").asText()
                        + ": "
                        + entry.path("stacktrace").asText().lines().findFirst().orElse("")));
    return failures;
  }

  /** {@code POST /jars/upload} of a jar, as the web UI's "Submit New Job" page sends it. */
  HttpResponse<String> uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "----" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(rest("/jars/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofByteArray(head),
                    HttpRequest.BodyPublishers.ofFile(jar),
                    HttpRequest.BodyPublishers.ofByteArray(tail)))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** What the Prometheus reporter of TaskManager {@code number} (1 or 2) serves. */
  String taskManagerMetrics(int number) {
    int port = Integer.parseInt(environment.get("PROMETHEUS_PORT")) + number;
    return getText(URI.create("http://" + host + ":" + port + "/metrics"));
  }

  /** The garbage collector's log of a process, one line per collection. */
  Path gcLog(String process) {
    return runDir.resolve("logs/" + process + ".gc.log");
  }

  JsonNode get(String path) {
    try {
      return JSON.readTree(getText(rest(path)));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " answered no JSON", e);
    }
  }

  private static String getText(URI uri) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops every process; the run directory, with the logs, stays for a look after a failure. */
  @Override
  public void close() {
    script("stop");
  }

  private static void await(
      Supplier<JsonNode> read, Predicate<JsonNode> done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = read.get();
        if (done.test(last)) {
          return;
        }
      } catch (UncheckedIOException e) {
        // The REST endpoint is down for a moment while its process starts again.
      }
      Thread.sleep(500);
    }
    throw new AssertionError("No " + what + " within " + timeout + "; last seen: " + last);
  }

  private String script(String... arguments) {
    return script(Map.of(), arguments);
  }

  /** Runs the script and returns what it printed; a failure carries that output. */
  private String script(Map<String, String> extraEnvironment, String... arguments) {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(arguments));
    try {
      Path output = Files.createTempFile(runDir, "command-", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      builder.environment().putAll(extraEnvironment);
      Process process = builder.start();
      boolean finished = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      if (!finished) {
        process.destroyForcibly();
        throw new IllegalStateException(
            command + " did not finish in " + COMMAND_TIMEOUT + ":\n" + printed);
      }
      if (process.exitValue() != 0) {
        throw new ScriptFailure(command, process.exitValue(), printed);
      }
      return printed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The script ended with an error. */
  static final class ScriptFailure extends IllegalStateException {
    private final String output;

    ScriptFailure(List<String> command, int exitCode, String output) {
      super(command + " failed (" + exitCode + "):\n" + output);
      this.output = output;
    }

    /** What the script printed, on stdout and stderr. */
    String output() {
      return output;
    }
  }

  private static String find(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException("No match of " + pattern + " in:\n" + output);
    }
    return matcher.group(1);
  }
}
