package org.interesttracker.lifecycle;

import java.util.ArrayList;
import java.util.List;
import org.interesttracker.avro.state.ServedModel;
import org.interesttracker.avro.state.ServingPlan;

/**
 * Which versions serve, and the moves between them: publish a candidate (with a canary share),
 * promote it (the live version stays loaded as the one to roll back to), roll back (withdraw the
 * candidate, else return to the previous version). Immutable; each move returns the next plan or
 * throws {@link RefusedRequest}. The plan's state record holds only what requests changed; its
 * empty live version means the model the job was started with.
 */
public final class ModelPlan {
  private final ServingPlan state;
  private final ServedModel startup;

  public ModelPlan(ServingPlan state, ServedModel startup) {
    this.state = state;
    this.startup = startup;
  }

  /** The plan of a job nobody has sent a request yet. */
  public static ModelPlan initial(ServedModel startup) {
    return new ModelPlan(ServingPlan.newBuilder().build(), startup);
  }

  /** The record kept in broadcast state. */
  public ServingPlan state() {
    return state;
  }

  public ServedModel live() {
    return state.getLive() != null ? state.getLive() : startup;
  }

  /** The candidate, or null. */
  public ServedModel candidate() {
    return state.getCandidate();
  }

  /** The version rollback returns to, or null. */
  public ServedModel previous() {
    return state.getPrevious();
  }

  public double canaryShare() {
    return state.getCanaryShare();
  }

  /** Every version the plan needs loaded: live, candidate, previous. */
  public List<ServedModel> served() {
    List<ServedModel> served = new ArrayList<>(3);
    served.add(live());
    if (candidate() != null) {
      served.add(candidate());
    }
    if (previous() != null) {
      served.add(previous());
    }
    return served;
  }

  /** The version that serves a user. */
  public String versionFor(String userId) {
    return candidate() != null && CanaryShare.includes(userId, canaryShare())
        ? candidate().getVersion()
        : live().getVersion();
  }

  /** A checked model becomes the candidate, replacing any other, serving {@code share}. */
  public ModelPlan publish(ServedModel model, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new RefusedRequest("the canary share must be between 0 and 1, got " + share);
    }
    if (model.getVersion().equals(live().getVersion())) {
      throw new RefusedRequest("version " + model.getVersion() + " is already live");
    }
    return with(ServingPlan.newBuilder(state).setCandidate(model).setCanaryShare(share).build());
  }

  /** The candidate named serves everyone; the live version is kept for rollback. */
  public ModelPlan promote(String version) {
    if (candidate() == null || !candidate().getVersion().equals(version)) {
      throw new RefusedRequest(
          "version "
              + version
              + " is not the candidate ("
              + (candidate() == null ? "there is none" : "it is " + candidate().getVersion())
              + "): publish it first");
    }
    return with(
        ServingPlan.newBuilder()
            .setLive(candidate())
            .setPrevious(live())
            .setCandidate(null)
            .setCanaryShare(0)
            .build());
  }

  /** Withdraws the candidate if there is one, else returns to the version before promotion. */
  public ModelPlan rollback() {
    if (candidate() != null) {
      return with(ServingPlan.newBuilder(state).setCandidate(null).setCanaryShare(0).build());
    }
    if (previous() == null) {
      throw new RefusedRequest(
          "there is nothing to roll back to: no candidate, no previous version");
    }
    return with(
        ServingPlan.newBuilder().setLive(previous()).setPrevious(null).setCanaryShare(0).build());
  }

  private ModelPlan with(ServingPlan next) {
    return new ModelPlan(next, startup);
  }
}
