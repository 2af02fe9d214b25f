package org.interesttracker.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.interest.InterestUpdater;
import org.interesttracker.job.JobSettings;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;

/**
 * One uninterrupted, sequential pass over events with the job's own rules and model: what a correct
 * job must write, however it is distributed, failed or restored.
 */
final class SequentialPass {

  /** Told about every event the state accepted, with the user's state after it. */
  interface AcceptedEvent {
    void accept(InterestUpdater updater, UserInterestState state, InteractionEvent event)
        throws Exception;
  }

  private SequentialPass() {}

  static ModelBundle model(JobSettings settings) {
    return ModelBundle.load(ModelFiles.of(settings.modelDir()), settings.historyLength());
  }

  static void run(JobSettings settings, List<InteractionEvent> events, AcceptedEvent accepted) {
    InterestUpdater updater =
        new InterestUpdater(settings.interestRules(model(settings).halfLives()));
    Map<String, UserInterestState> states = new HashMap<>();
    for (InteractionEvent event : events) {
      UserInterestState state =
          states.computeIfAbsent(event.getUserId(), user -> InterestUpdater.emptyState());
      if (updater.apply(state, event) == InterestUpdater.Outcome.APPLIED) {
        try {
          accepted.accept(updater, state, event);
        } catch (Exception e) {
          throw new IllegalStateException("the sequential pass failed at " + event, e);
        }
      }
    }
  }
}
