package org.interesttracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two jars the build makes: interest-tracker-standalone.jar runs every command when copied
 * alone to another directory, with nothing but Java; interest-tracker.jar, for {@code flink run},
 * leaves Flink and the in-process broker to the cluster.
 *
 * <p>Needs the jars: runs in {@code mvn verify} (failsafe, after {@code package}); skipped when
 * they have not been built.
 */
class StandaloneJarIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Path STANDALONE_JAR = TARGET.resolve("interest-tracker.jar");
  private static final Path CLUSTER_JAR = TARGET.resolve("interest-tracker-job.jar");
  private static final List<String> TOOLS =
      List.of("replay", "create-topics", "generate", "prepare", "consume");

  @TempDir Path elsewhere;

  @Test
  void theStandaloneJarRunsTheToolsCopiedAloneToAnotherDirectory() throws Exception {
    assertBuilt(STANDALONE_JAR);
    Path jar = Files.copy(STANDALONE_JAR, elsewhere.resolve(STANDALONE_JAR.getFileName()));

    assertThat(run(jar, "--help")).contains(TOOLS);
    for (String tool : TOOLS) {
      assertThat(run(jar, tool, "--help")).as(tool).contains("Usage: interest-tracker " + tool);
    }
    String generated =
        run(jar, "generate", "--output", "events.csv", "--users", "20", "--count", "500");

    assertThat(generated).contains("wrote events.csv");
    assertThat(Files.readAllLines(elsewhere.resolve("events.csv")))
        .first()
        .isEqualTo("timestamp_ms,user_id,item_id,scene,event_type");
  }

  @Test
  void theClusterJarBundlesTheConnectorButLeavesFlinkAndTheBrokerToTheCluster() throws IOException {
    assertBuilt(CLUSTER_JAR);
    try (ZipFile jar = new ZipFile(CLUSTER_JAR.toFile())) {
      assertThat(jar.getEntry("org/apache/flink/connector/kafka/source/KafkaSource.class"))
          .isNotNull();
      assertThat(jar.getEntry("org/apache/flink/runtime/minicluster/MiniCluster.class")).isNull();
      assertThat(jar.getEntry("kafka/server/KafkaRaftServer.class")).isNull();
    }
  }

  private static void assertBuilt(Path jar) {
    assertThat(jar).as("built by `mvn package`").isRegularFile();
  }

  /** Runs the jar with {@code java -jar} in the temporary directory; returns what it printed. */
  private String run(Path jar, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(elsewhere.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s timed out", command).isTrue();
    assertThat(process.exitValue()).as("%s printed:%n%s", command, output).isZero();
    return output;
  }
}
