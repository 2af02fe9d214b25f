package org.interesttracker.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.interest.EventStep;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serving.ModelBundle;

/**
 * One uninterrupted, sequential pass over events through the job's own per-event step: what a
 * correct job must write, however it is distributed, failed or restored.
 */
final class SequentialPass {
  private SequentialPass() {}

  /** What each event did, in order; wall-clock fields are 0 where the step takes the time. */
  static List<EventStep.Result> run(JobSettings settings, List<InteractionEvent> events) {
    ModelBundle model = settings.loadModel();
    List<EventStep.Result> results = new ArrayList<>(events.size());
    Map<String, UserInterestState> states = new HashMap<>();
    try (EventStep step = settings.eventStep(settings.interestRules(model), 1)) {
      for (InteractionEvent event : events) {
        EventStep.Result result =
            step.apply(event.getUserId(), states.get(event.getUserId()), event, 0L);
        if (result.applied()) {
          states.put(event.getUserId(), result.state());
        }
        results.add(result);
      }
    } catch (Exception e) {
      throw new IllegalStateException("the sequential pass failed", e);
    }
    return results;
  }
}
