package org.interesttracker.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.serving.Recommender;

/**
 * Bytes of each user's keyed state as the job stores it (the Avro value; RocksDB adds the key and a
 * few bytes per entry), after filling in what the model adds: interest vectors and the latest
 * recommendation per scene.
 */
final class StateSize {
  private StateSize() {}

  static List<Double> perUser(Map<String, UserInterestState> users, Recommender recommender)
      throws Exception {
    SpecificDatumWriter<UserInterestState> writer =
        new SpecificDatumWriter<>(UserInterestState.class);
    List<Double> sizes = new ArrayList<>(users.size());
    for (var entry : users.entrySet()) {
      UserInterestState user = entry.getValue();
      var latest = user.getHistory().get(user.getHistory().size() - 1);
      var trigger =
          org.interesttracker.avro.InteractionEvent.newBuilder()
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
