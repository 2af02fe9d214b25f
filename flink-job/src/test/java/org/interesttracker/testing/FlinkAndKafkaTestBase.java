package org.interesttracker.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Flink MiniCluster with two slots next to the shared Kafka broker, as the job runs on both. */
public abstract class FlinkAndKafkaTestBase extends KafkaTestBase {
  @RegisterExtension
  protected static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());
}
