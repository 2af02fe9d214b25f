package org.interesttracker.serving;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the streaming model for new events of many users: events in time order share one batched
 * step; a late event, or one for a user whose vectors must be rebuilt (a new model version), is
 * inserted into its user's token history and that user's cache is rebuilt by stepping through the
 * newest L events again. The users being rebuilt step together, one batched call per replayed
 * position (up to L calls for all of them, not L per user): after a model switch nearly every user
 * of a bundle is rebuilt at once. Either way the outputs are the read-outs at the user's newest
 * event, and the user's cache is updated.
 */
public final class StreamingInterestServing {
  private final StreamingStepModel model;
  private final StreamingStepBatch batch;
  private final StreamingStepBatch encoding;

  public StreamingInterestServing(StreamingStepModel model, int batchCapacity) {
    this.model = model;
    batch = model.newBatch(batchCapacity);
    // One user's replay (up to L - 1 rows) per call.
    encoding = model.newBatch(model.manifest().historyLength() - 1);
  }

  /**
   * One event for each of {@code users} (distinct users, at most the batch capacity), read out at
   * the event, as the job recommends; row i of the result belongs to {@code users.get(i)}.
   */
  public StreamingStepOutputs process(List<StreamingUserCache> users, List<StreamingEvent> events)
      throws OrtException {
    return process(users, events, new float[users.size()]);
  }

  /**
   * As {@link #process(List, List)}, each user's read-outs requested {@code requestAgeSeconds[i]}
   * after that user's newest event (a contract-1 step ignores them).
   */
  public StreamingStepOutputs process(
      List<StreamingUserCache> users, List<StreamingEvent> events, float[] requestAgeSeconds)
      throws OrtException {
    if (users.size() != events.size()
        || users.size() != requestAgeSeconds.length
        || users.size() > batch.capacity()) {
      throw new IllegalArgumentException(
          users.size() + " users, " + events.size() + " events, capacity " + batch.capacity());
    }
    int[] batchRowOf = new int[users.size()];
    batch.clear();
    for (int i = 0; i < users.size(); i++) {
      StreamingUserCache user = users.get(i);
      batchRowOf[i] =
          user.needsReplay(events.get(i).timeMs())
              ? -1
              : batch.add(user, events.get(i), requestAgeSeconds[i]);
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
    List<Integer> rebuilt = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      if (batchRowOf[i] >= 0) {
        combined.copyRow(stepped, batchRowOf[i], i);
      } else {
        rebuilt.add(i);
      }
    }
    rebuild(users, events, requestAgeSeconds, rebuilt, combined);
    return combined;
  }

  /**
   * Rebuilds the caches of {@code rebuilt} (indices into {@code users}): every replayed event but
   * each user's newest is encoded in batched calls of rows that need no cache (its vector depends
   * only on its window of tokens), then each user's newest event is stepped against the rebuilt
   * cache, all users in one call, for its outputs.
   */
  private void rebuild(
      List<StreamingUserCache> users,
      List<StreamingEvent> events,
      float[] requestAgeSeconds,
      List<Integer> rebuilt,
      StreamingStepOutputs combined)
      throws OrtException {
    int length = model.manifest().historyLength();
    List<StreamingEvent[]> replays = new ArrayList<>(rebuilt.size());
    for (int user : rebuilt) {
      replays.add(users.get(user).insertAndTakeReplay(events.get(user), length));
    }
    encode(rebuilt.stream().map(users::get).toList(), replays);
    batch.clear();
    int[] rowOf = new int[rebuilt.size()];
    for (int r = 0; r < rebuilt.size(); r++) {
      StreamingEvent[] replay = replays.get(r);
      int user = rebuilt.get(r);
      rowOf[r] = batch.add(users.get(user), replay[replay.length - 1], requestAgeSeconds[user]);
    }
    StreamingStepOutputs newest = model.run(batch);
    for (int r = 0; r < rebuilt.size(); r++) {
      StreamingEvent[] replay = replays.get(r);
      users
          .get(rebuilt.get(r))
          .append(replay[replay.length - 1], newest.newStates(), newest.newStateOffset(rowOf[r]));
      combined.copyRow(newest, rowOf[r], rebuilt.get(r));
    }
  }

  /** Computes the vectors of all but the newest replayed event of each user and appends them. */
  private void encode(List<StreamingUserCache> users, List<StreamingEvent[]> replays)
      throws OrtException {
    int cacheDim = model.manifest().cacheDim();
    for (int u = 0; u < users.size(); u++) {
      StreamingUserCache user = users.get(u);
      StreamingEvent[] replay = replays.get(u);
      int base = user.events();
      for (int i = 0; i < replay.length - 1; i++) {
        user.appendToken(replay[i]);
      }
      float[] vectors = new float[(replay.length - 1) * cacheDim];
      for (int from = 0; from < replay.length - 1; from += encoding.capacity()) {
        int to = Math.min(replay.length - 1, from + encoding.capacity());
        encoding.clear();
        for (int i = from; i < to; i++) {
          encoding.addEncoding(user, base + i);
        }
        StreamingStepOutputs encoded = model.run(encoding);
        System.arraycopy(encoded.newStates(), 0, vectors, from * cacheDim, (to - from) * cacheDim);
      }
      user.truncate(base);
      for (int i = 0; i < replay.length - 1; i++) {
        user.append(replay[i], vectors, i * cacheDim);
      }
    }
  }
}
