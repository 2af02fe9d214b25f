package org.interesttracker.lifecycle;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.interesttracker.avro.state.ServedModel;
import org.interesttracker.interest.EventStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded models of one parallel instance, serving a {@link ModelPlan}: every version the plan
 * names (live, candidate, previous) is loaded, checked and ready, so a promotion or a rollback
 * switches without loading anything. Moving to a plan whose new version cannot be loaded changes
 * nothing.
 */
public final class ServingModels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModels.class);

  /** Loads and checks a model and builds the step that serves it. */
  @FunctionalInterface
  public interface Loader {
    EventStep load(ServedModel model);
  }

  private final Loader loader;
  private final Map<String, EventStep> steps = new HashMap<>();
  private ModelPlan plan;

  public ServingModels(ModelPlan plan, Loader loader) {
    this.loader = loader;
    serve(plan);
  }

  /**
   * Serves {@code next}: loads the versions it names that are not loaded, then closes those it no
   * longer names.
   *
   * @throws RefusedRequest if a version fails to load or check; the current plan still serves
   */
  public void serve(ModelPlan next) {
    Map<String, EventStep> added = new HashMap<>();
    try {
      for (ServedModel model : next.served()) {
        String version = model.getVersion();
        if (!steps.containsKey(version) && !added.containsKey(version)) {
          added.put(version, loader.load(model));
        }
      }
    } catch (RuntimeException e) {
      closeAll(added.values());
      throw new RefusedRequest(e.getMessage(), e);
    }
    steps.putAll(added);
    plan = next;
    Set<String> needed = new HashSet<>();
    next.served().forEach(model -> needed.add(model.getVersion()));
    Map<String, EventStep> unused = new HashMap<>(steps);
    unused.keySet().removeAll(needed);
    steps.keySet().removeAll(unused.keySet());
    closeAll(unused.values());
  }

  public ModelPlan plan() {
    return plan;
  }

  /** The step of the version that serves {@code userId}. */
  public EventStep stepFor(String userId) {
    return steps.get(plan.versionFor(userId));
  }

  /** The step of a loaded version. */
  public EventStep step(String version) {
    return steps.get(version);
  }

  @Override
  public void close() {
    closeAll(steps.values());
    steps.clear();
  }

  private static void closeAll(Collection<EventStep> closing) {
    for (EventStep step : closing) {
      try {
        step.close();
      } catch (Exception e) {
        // It serves nothing any more; a session that fails to close leaks its native memory.
        LOG.warn("Closing model {} failed", step.modelVersion(), e);
      }
    }
  }
}
