package org.interesttracker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.KafkaTestBase;
import org.interesttracker.testing.OutputRecords;
import org.junit.jupiter.api.Test;

/** The consumer examples in examples/ decode what the job writes, against a real broker. */
class ConsumerExamplesITCase extends KafkaTestBase {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path PYTHON_EXAMPLE =
      REPOSITORY.resolve("examples/python/consume_recommendations.py");
  private static final String PYTHON = "/usr/bin/python3";
  private static final Recommendation RECOMMENDATION =
      OutputRecords.recommendation("u1", "e1", "home");

  @Test
  void theJavaExampleDecodesARecommendation() throws Exception {
    String topic = withOneRecommendation("java-example");
    List<Recommendation> read = new ArrayList<>();

    ConsumeRecommendations.consume(kafka.bootstrapServers(), topic, 1, read::add);

    assertThat(read).containsExactly(RECOMMENDATION);
    assertThat(ConsumeRecommendations.describe(read.get(0)))
        .isEqualTo("user u1 in home (NEW_IN_SCENE): item-9 2.50, item-4 1.25");
  }

  @Test
  void thePythonExampleDecodesARecommendation() throws Exception {
    assumeThat(pythonHasModules("confluent_kafka", "avro"))
        .as(
            "%s lacks confluent_kafka or avro: apt-get install python3-confluent-kafka"
                + " python3-avro",
            PYTHON)
        .isTrue();
    String topic = withOneRecommendation("python-example");

    Process python =
        new ProcessBuilder(
                PYTHON,
                PYTHON_EXAMPLE.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--max-records",
                "1",
                "--idle-timeout",
                "30")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).as(output).isZero();
    JsonNode line = new ObjectMapper().readTree(output.strip());
    assertThat(line.get("user_id").asText()).isEqualTo("u1");
    assertThat(line.get("cold_start").asText()).isEqualTo("NEW_IN_SCENE");
    assertThat(line.at("/items/0/item_id").asText()).isEqualTo("item-9");
    assertThat(line.at("/items/0/score").asDouble()).isEqualTo(2.5);
    assertThat(line.at("/items/0/reasons/0/item_id").asText()).isEqualTo("item-3");
  }

  private static String withOneRecommendation(String topic) {
    kafka.createTopics(1, topic);
    OutputRecords.send(
        kafka.bootstrapServers(),
        topic,
        List.of(AvroCodec.of(Recommendation.class).encode(RECOMMENDATION)));
    return topic;
  }

  private static boolean pythonHasModules(String... modules) throws Exception {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return false;
    }
    Process check =
        new ProcessBuilder(PYTHON, "-c", "import " + String.join(", ", modules))
            .redirectErrorStream(true)
            .start();
    check.getInputStream().readAllBytes();
    return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
  }
}
