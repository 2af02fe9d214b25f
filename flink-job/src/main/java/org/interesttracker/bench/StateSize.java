package org.interesttracker.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.interest.EventStep;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serving.ModelBundle;

/**
 * Bytes of a user's keyed state as the job stores it (the Avro value; RocksDB adds the key and a
 * few bytes per entry). Every event of a sample of users goes through the job's own per-event step,
 * model included, so the state is exactly the job's; sampling one user in {@value #ONE_USER_IN}
 * keeps that affordable at the end of a run.
 */
public final class StateSize {
  private static final int ONE_USER_IN = 8;

  /** Bytes per user over the sampled users. */
  public record Summary(double median, double mean, int users) {}

  private StateSize() {}

  /** The state of the sampled users after all their events. */
  public static Summary afterReplay(Iterator<EventLogRecord> events, JobSettings settings)
      throws Exception {
    ModelBundle model = settings.loadModel();
    Map<String, UserInterestState> users = new HashMap<>();
    try (EventStep step = settings.eventStep(settings.interestRules(model), 1)) {
      for (int index = 0; events.hasNext(); index++) {
        EventLogRecord record = events.next();
        if (Math.floorMod(record.userId().hashCode(), ONE_USER_IN) != 0) {
          continue;
        }
        EventStep.Result result =
            step.apply(
                record.userId(), users.get(record.userId()), record.toEvent("e" + index), 0L);
        if (result.applied()) {
          users.put(record.userId(), result.state());
        }
      }
    }
    List<Double> sizes = new ArrayList<>(users.size());
    SpecificDatumWriter<UserInterestState> writer =
        new SpecificDatumWriter<>(UserInterestState.class);
    users.values().forEach(user -> sizes.add((double) encodedSize(writer, user)));
    double mean = sizes.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return new Summary(sizes.isEmpty() ? 0 : Median.of(sizes), mean, sizes.size());
  }

  private static int encodedSize(
      SpecificDatumWriter<UserInterestState> writer, UserInterestState user) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
      writer.write(user, encoder);
      encoder.flush();
      return bytes.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
