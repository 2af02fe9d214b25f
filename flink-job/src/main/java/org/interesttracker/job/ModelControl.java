package org.interesttracker.job;

import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.avro.VersionQuality;
import org.interesttracker.avro.state.ServedModel;
import org.interesttracker.avro.state.ServingPlan;
import org.interesttracker.lifecycle.ModelPlan;
import org.interesttracker.lifecycle.RefusedRequest;
import org.interesttracker.lifecycle.ServingModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model lifecycle of one parallel instance: the {@link ModelPlan} in broadcast state (so every
 * instance holds the same one and a restore serves what was served), the versions it has loaded,
 * and its answer to each lifecycle request. Every instance checks a published model itself; one
 * that fails is refused with one log line, the {@code model-requests-refused} counter and a record
 * on the operations topic, and the plan stays as it was.
 */
final class ModelControl implements AutoCloseable {
  static final MapStateDescriptor<String, ServingPlan> PLAN =
      new MapStateDescriptor<>("serving-plan", Types.STRING, new AvroTypeInfo<>(ServingPlan.class));

  private static final String PLAN_KEY = "plan";
  private static final Logger LOG = LoggerFactory.getLogger(ModelControl.class);

  private final BroadcastState<String, ServingPlan> planState;
  private final ServingModels models;
  private final int subtask;
  private final int parallelism;
  private final Counter refused;

  /**
   * Serves the plan restored from broadcast state, or the startup model's.
   *
   * @throws IllegalStateException if the plan names a model that does not load: serving another
   *     than the one it served before a restore would be a silent change of model
   */
  ModelControl(
      BroadcastState<String, ServingPlan> planState,
      ServedModel startup,
      ServingModels.Loader loader,
      int subtask,
      int parallelism,
      MetricGroup metrics)
      throws Exception {
    this.planState = planState;
    this.subtask = subtask;
    this.parallelism = parallelism;
    ServingPlan stored = planState.get(PLAN_KEY);
    ModelPlan plan = stored == null ? ModelPlan.initial(startup) : new ModelPlan(stored, startup);
    try {
      models = new ServingModels(plan, loader);
    } catch (RefusedRequest e) {
      throw new IllegalStateException(
          "the serving plan cannot be served (live "
              + plan.live().getVersion()
              + "): "
              + e.getMessage(),
          e);
    }
    refused = metrics.counter("model-requests-refused");
  }

  ServingModels models() {
    return models;
  }

  /**
   * Carries out a lifecycle request (publish, promote, rollback, status) and returns this
   * instance's answer; a request it refuses changes nothing.
   *
   * @param quality this instance's prequential quality per version, for the answer
   */
  OperationsRecord handle(ControlRequest request, List<VersionQuality> quality) throws Exception {
    ModelPlan plan = models.plan();
    try {
      ModelPlan next =
          switch (request.getAction()) {
            case PUBLISH -> plan.publish(published(request), canaryShare(request));
            case PROMOTE -> plan.promote(required(request.getModelVersion(), "model_version"));
            case ROLLBACK -> plan.rollback();
            case STATUS -> plan;
            default -> throw new RefusedRequest("unknown action " + request.getAction());
          };
      if (next != plan) { // STATUS changes nothing
        models.serve(next);
        planState.put(PLAN_KEY, next.state());
      }
      return answer(request, kindOf(request.getAction()), describe(request), quality);
    } catch (RefusedRequest e) {
      refused.inc();
      LOG.warn(
          "Subtask {} refused control request {} ({}): {}",
          subtask,
          request.getRequestId(),
          request.getAction(),
          e.getMessage());
      OperationKind kind =
          request.getAction() == ControlAction.PUBLISH
              ? OperationKind.MODEL_REFUSED
              : OperationKind.REQUEST_REFUSED;
      return answer(request, kind, e.getMessage(), quality);
    }
  }

  /** An answer of this instance, with what it serves after the request. */
  OperationsRecord answer(
      ControlRequest request, OperationKind kind, String detail, List<VersionQuality> quality) {
    ModelPlan plan = models.plan();
    return OperationsRecord.newBuilder()
        .setRequestId(request.getRequestId())
        .setKind(kind)
        .setSubtask(subtask)
        .setParallelism(parallelism)
        .setTime(System.currentTimeMillis())
        .setDetail(detail)
        .setLiveVersion(plan.live().getVersion())
        .setCandidateVersion(plan.candidate() == null ? null : plan.candidate().getVersion())
        .setCanaryShare(plan.canaryShare())
        .setPreviousVersion(plan.previous() == null ? null : plan.previous().getVersion())
        .setUserId(request.getUserId())
        .setQuality(quality)
        .build();
  }

  @Override
  public void close() {
    models.close();
  }

  private static ServedModel published(ControlRequest request) {
    return new ServedModel(
        required(request.getModelVersion(), "model_version"),
        required(request.getModelDir(), "model_dir"));
  }

  private static double canaryShare(ControlRequest request) {
    return request.getCanaryShare() == null ? 0.0 : request.getCanaryShare();
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new RefusedRequest("the request has no " + field);
    }
    return value;
  }

  private static OperationKind kindOf(ControlAction action) {
    return switch (action) {
      case PUBLISH -> OperationKind.MODEL_ACCEPTED;
      case PROMOTE -> OperationKind.MODEL_PROMOTED;
      case ROLLBACK -> OperationKind.MODEL_ROLLED_BACK;
      default -> OperationKind.STATUS;
    };
  }

  private String describe(ControlRequest request) {
    ModelPlan plan = models.plan();
    return switch (request.getAction()) {
      case PUBLISH ->
          "checked "
              + request.getModelVersion()
              + "; it serves "
              + Math.round(plan.canaryShare() * 100)
              + "% of users";
      case PROMOTE, ROLLBACK -> plan.live().getVersion() + " is live";
      default -> "serving";
    };
  }
}
