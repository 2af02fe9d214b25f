package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

  @Test
  void defaultsAreValidOnceKafkaIsNamed() {
    JobSettings settings = JobSettings.builder().bootstrapServers("kafka:9092").build();

    assertThat(settings.historyLength()).isEqualTo(50);
    assertThat(settings.inputTopic()).isEqualTo(Topics.INTERACTIONS);
    assertThat(settings.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
  }

  @Test
  void namesTheOptionThatIsWrong() {
    assertThatThrownBy(() -> JobSettings.builder().build())
        .hasMessage("bootstrap-servers must be set");
    assertThatThrownBy(() -> JobSettings.builder().bootstrapServers("k").historyLength(0).build())
        .hasMessage("history-length must be between 1 and 1000, got 0");
    assertThatThrownBy(
            () -> JobSettings.builder().bootstrapServers("k").stateTtl(Duration.ZERO).build())
        .hasMessageContaining("state-ttl must be a positive duration");
    assertThatThrownBy(
            () ->
                JobSettings.builder()
                    .bootstrapServers("k")
                    .parallelism(8)
                    .maxParallelism(4)
                    .build())
        .hasMessage("max-parallelism must be between 8 and 32768, got 4");
    assertThatThrownBy(
            () ->
                JobSettings.builder()
                    .bootstrapServers("k")
                    .allowedLateness(Duration.ofHours(2))
                    .dedupHorizon(Duration.ofHours(1))
                    .build())
        .hasMessageContaining("dedup-horizon (PT1H) must be at least the allowed lateness (PT2H)");
    assertThatThrownBy(
            () -> JobSettings.builder().bootstrapServers("k").profileChange(Double.NaN).build())
        .hasMessage("profile-change must be between 0 and 10.0, got NaN");
    assertThatThrownBy(
            () -> JobSettings.builder().bootstrapServers("k").profileChange(-0.1).build())
        .hasMessage("profile-change must be between 0 and 10.0, got -0.1");
    assertThatThrownBy(() -> new FailureLimit(1.5, 10))
        .hasMessage("max-failure-rate must be between 0 and 1, got 1.5");
  }

  @Test
  void neverPrintsCredentials() {
    JobSettings settings =
        JobSettings.builder()
            .bootstrapServers("kafka:9093")
            .kafkaProperties(
                Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.jaas.config", "PlainLoginModule username=\"u\" password=\"hunter2\";",
                    "ssl.truststore.password", "changeit"))
            .build();

    assertThat(settings.toString())
        .contains("SASL_SSL")
        .doesNotContain("hunter2")
        .doesNotContain("changeit");
  }
}
