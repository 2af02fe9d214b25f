package org.interesttracker.testing;

import org.interesttracker.local.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A real in-process Kafka broker shared by the tests of a class; tests use topics of their own. */
public abstract class KafkaTestBase {
  protected static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startKafka() {
    kafka = new EmbeddedKafkaBroker().start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }
}
