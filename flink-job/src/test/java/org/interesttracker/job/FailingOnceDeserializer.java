package org.interesttracker.job;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The job's source deserializer with an injected failure: the source task fails once, when the
 * records read reach a number, and the job restarts from its last checkpoint. The counters are
 * static because Flink serializes this object into every task; the tasks of a MiniCluster share
 * this JVM, so they share the counters and the failure happens once per test.
 */
final class FailingOnceDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
  private static final AtomicLong recordsRead = new AtomicLong();
  private static final AtomicBoolean failed = new AtomicBoolean();

  private final RawRecordDeserializer delegate = new RawRecordDeserializer();
  private final long failAt;

  FailingOnceDeserializer(long failAt) {
    this.failAt = failAt;
  }

  /** Arms the failure again; call before each job. */
  static void reset() {
    recordsRead.set(0);
    failed.set(false);
  }

  /** Records deserialized by every attempt of the job, so re-read ones count twice. */
  static long recordsRead() {
    return recordsRead.get();
  }

  static boolean hasFailed() {
    return failed.get();
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out)
      throws IOException {
    if (recordsRead.incrementAndGet() >= failAt && failed.compareAndSet(false, true)) {
      throw new IOException("Injected failure at record " + failAt);
    }
    delegate.deserialize(record, out);
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return delegate.getProducedType();
  }
}
