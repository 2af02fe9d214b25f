package org.interesttracker.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker running in this JVM: one {@link KafkaRaftServer} in KRaft combined mode
 * (broker and controller in one node), storage formatted in a fresh temporary directory, listening
 * on free loopback ports. Internal topics are configured for a single node, so consumer groups and
 * transactions (exactly-once sinks) work. Topics are not created on first use: create them with
 * {@link #createTopics}.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker()) {
 *   kafka.start();
 *   kafka.createTopics(2, "interactions");
 *   ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String HOST = "127.0.0.1";
  // A port found free can be taken by another process before the broker binds it.
  private static final int START_ATTEMPTS = 3;
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  private Path dataDir;
  private KafkaConfig config;
  private KafkaRaftServer server;
  private int brokerPort;

  /**
   * Formats storage and starts the broker; returns once it accepts requests.
   *
   * @throws IllegalStateException if it is already running or cannot start
   */
  public EmbeddedKafkaBroker start() {
    if (server != null) {
      throw new IllegalStateException("The embedded Kafka broker is already running");
    }
    RuntimeException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        long startNanos = System.nanoTime();
        startOnFreePorts();
        LOG.info(
            "Kafka broker listening on {} (started in {} ms)",
            bootstrapServers(),
            (System.nanoTime() - startNanos) / 1_000_000);
        return this;
      } catch (RuntimeException e) {
        lastFailure = e;
        close();
      }
    }
    throw new IllegalStateException(
        "Cannot start the embedded Kafka broker: " + lastFailure.getMessage(), lastFailure);
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    if (server == null) {
      throw new IllegalStateException("The embedded Kafka broker is not running");
    }
    return HOST + ":" + brokerPort;
  }

  /** Where the broker keeps its data while it runs; deleted by {@link #close()}. */
  Path dataDirectory() {
    return dataDir;
  }

  /** Creates topics with the given number of partitions; returns when the broker has them. */
  public void createTopics(int partitions, String... names) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    List<NewTopic> topics =
        Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get();
      awaitLeaders(admin, List.of(names));
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot create topics " + Arrays.toString(names) + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    }
  }

  /**
   * Waits until every partition has its leader. The topic exists before the broker has taken up
   * leadership of its partitions; a producer writing in between, on a busy machine, gets "not the
   * leader" and an idempotent one can then get stuck on refused sequence numbers.
   */
  private static void awaitLeaders(Admin admin, List<String> names)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
    while (true) {
      if (haveLeaders(admin, names)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no leader for every partition of " + names);
      }
      Thread.sleep(20);
    }
  }

  private static boolean haveLeaders(Admin admin, List<String> names)
      throws ExecutionException, InterruptedException {
    try {
      return admin.describeTopics(names).allTopicNames().get().values().stream()
          .flatMap(topic -> topic.partitions().stream())
          .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false; // created, but not in the broker's metadata yet
      }
      throw e;
    }
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /**
   * Stops the broker as an outage would, keeping its data and ports: {@link #restart()} brings the
   * same cluster back at the same address.
   */
  public void stop() {
    if (server == null) {
      throw new IllegalStateException("The embedded Kafka broker is not running");
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    LOG.info("Kafka broker on port {} stopped", brokerPort);
  }

  /** Starts a stopped broker again with its data, on the same ports. */
  public void restart() {
    if (server != null || config == null) {
      throw new IllegalStateException("Only a stopped broker can restart");
    }
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    LOG.info("Kafka broker restarted on {}", bootstrapServers());
  }

  /** Stops the broker and deletes its data; safe to call more than once. */
  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
    if (dataDir != null) {
      try {
        FileUtils.deleteDirectory(dataDir.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + dataDir, e);
      }
      dataDir = null;
      config = null;
    }
  }

  private void startOnFreePorts() {
    try {
      dataDir = Files.createTempDirectory("embedded-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary directory for Kafka", e);
    }
    brokerPort = freePort();
    int controllerPort = freePort();
    String logDir = dataDir.resolve("log").toString();
    config = new KafkaConfig(brokerProperties(logDir, brokerPort, controllerPort), false);
    format(logDir);
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
  }

  private static Properties brokerProperties(String logDir, int brokerPort, int controllerPort) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put(
        "listeners",
        "%s://%s:%d,%s://%s:%d"
            .formatted(
                BROKER_LISTENER, HOST, brokerPort, CONTROLLER_LISTENER, HOST, controllerPort));
    props.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("log.dirs", logDir);
    // One node: every internal topic has one replica, and few partitions keep start-up fast.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // A misspelt topic name should fail loudly, not create an empty topic nobody reads.
    props.put("auto.create.topics.enable", "false");
    // A small machine shares its cores and memory with the job next to this broker.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
    return props;
  }

  private static void format(String logDir) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(logDir)
          .setDirectories(List.of(logDir))
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format Kafka storage in " + logDir, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }
}
