package org.interesttracker.serving;

import ai.onnxruntime.OrtException;
import java.util.List;

/**
 * Runs the streaming model for new events of many users: events in time order share one batched
 * step; a late event, or one for a user whose vectors must be rebuilt (a new model version), is
 * inserted into its user's token history and that user's cache is rebuilt by stepping through the
 * newest L events again (L steps at batch 1). Either way the outputs are the read-outs at the
 * user's newest event, and the user's cache is updated.
 */
public final class StreamingInterestServing {
  private final StreamingStepModel model;
  private final StreamingStepBatch batch;
  private final StreamingStepBatch single;

  public StreamingInterestServing(StreamingStepModel model, int batchCapacity) {
    this.model = model;
    batch = model.newBatch(batchCapacity);
    single = model.newBatch(1);
  }

  /**
   * One event for each of {@code users} (distinct users, at most the batch capacity); row i of the
   * result belongs to {@code users.get(i)}.
   */
  public StreamingStepOutputs process(List<StreamingUserCache> users, List<StreamingEvent> events)
      throws OrtException {
    if (users.size() != events.size() || users.size() > batch.capacity()) {
      throw new IllegalArgumentException(
          users.size() + " users, " + events.size() + " events, capacity " + batch.capacity());
    }
    int[] batchRowOf = new int[users.size()];
    batch.clear();
    for (int i = 0; i < users.size(); i++) {
      StreamingUserCache user = users.get(i);
      batchRowOf[i] =
          user.needsReplay(events.get(i).timeMs()) ? -1 : batch.add(user, events.get(i));
    }
    StreamingStepOutputs stepped = batch.size() > 0 ? model.run(batch) : null;
    for (int i = 0; i < users.size(); i++) {
      if (batchRowOf[i] >= 0) {
        users
            .get(i)
            .append(events.get(i), stepped.newStates(), stepped.newStateOffset(batchRowOf[i]));
      }
    }
    if (batch.size() == users.size()) {
      return stepped; // no late event: the batch rows are the users, in order
    }
    StreamingStepManifest manifest = model.manifest();
    StreamingStepOutputs combined =
        StreamingStepOutputs.empty(
            users.size(),
            manifest.numQueries(),
            manifest.cacheDim(),
            manifest.dim(),
            manifest.historyLength());
    for (int i = 0; i < users.size(); i++) {
      if (batchRowOf[i] >= 0) {
        combined.copyRow(stepped, batchRowOf[i], i);
      } else {
        combined.copyRow(rebuild(users.get(i), events.get(i)), 0, i);
      }
    }
    return combined;
  }

  private StreamingStepOutputs rebuild(StreamingUserCache user, StreamingEvent late)
      throws OrtException {
    StreamingStepOutputs last = null;
    for (StreamingEvent event : user.insertAndTakeReplay(late, model.manifest().historyLength())) {
      single.clear();
      single.add(user, event);
      last = model.run(single);
      user.append(event, last.newStates(), 0);
    }
    return last;
  }
}
