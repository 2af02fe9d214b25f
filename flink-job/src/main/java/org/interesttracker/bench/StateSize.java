package org.interesttracker.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.Recommender;

/**
 * Bytes of each user's keyed state as the job stores it (the Avro value; RocksDB adds the key and a
 * few bytes per entry), after filling in what the model adds: interest vectors and the latest
 * recommendation per scene.
 */
public final class StateSize {

  /** Bytes per user over all users. */
  public record Summary(double median, double mean, int users) {}

  private StateSize() {}

  /** The state every user has after the events, folded through the job's rules and model. */
  public static Summary afterReplay(Iterator<EventLogRecord> events, JobSettings settings)
      throws Exception {
    ModelBundle model =
        ModelBundle.load(ModelFiles.of(settings.modelDir()), settings.historyLength());
    InterestRules rules = settings.interestRules(model.halfLives());
    return of(HistorySample.of(events, rules, Integer.MAX_VALUE, 0).users(), model, settings);
  }

  static Summary of(Map<String, UserInterestState> users, ModelBundle model, JobSettings settings)
      throws Exception {
    try (Recommender recommender =
        Recommender.exact(model, settings.topK(), settings.reasonsPerItem(), 1)) {
      List<Double> sizes = perUser(users, recommender);
      double mean = sizes.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      return new Summary(sizes.isEmpty() ? 0 : Median.of(sizes), mean, sizes.size());
    }
  }

  private static List<Double> perUser(Map<String, UserInterestState> users, Recommender recommender)
      throws Exception {
    SpecificDatumWriter<UserInterestState> writer =
        new SpecificDatumWriter<>(UserInterestState.class);
    List<Double> sizes = new ArrayList<>(users.size());
    for (var entry : users.entrySet()) {
      UserInterestState user = entry.getValue();
      var latest = user.getHistory().get(user.getHistory().size() - 1);
      var trigger =
          InteractionEvent.newBuilder()
              .setEventId("state-size")
              .setUserId(entry.getKey())
              .setItemId(latest.getItemId())
              .setScene(latest.getScene())
              .setEventType(latest.getEventType())
              .setTimestamp(latest.getTimestamp())
              .build();
      Recommender.Result result =
          recommender
              .recommend(
                  List.of(
                      new Recommender.Request(
                          entry.getKey(), user.getHistory(), trigger, recommendedScenes(user))))
              .get(0);
      List<Float> interests = new ArrayList<>(result.interests().length);
      for (float value : result.interests()) {
        interests.add(value);
      }
      user.setInterests(interests);
      user.setInterestsModelVersion(recommender.modelVersion());
      result
          .recommendations()
          .forEach(
              r ->
                  user.getLastRecommended()
                      .put(r.getScene(), r.getItems().stream().map(i -> i.getItemId()).toList()));
      sizes.add((double) encodedSize(writer, user));
    }
    return sizes;
  }

  private static List<String> recommendedScenes(UserInterestState user) {
    return user.getScenes().stream().map(scene -> scene.getScene()).toList();
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
