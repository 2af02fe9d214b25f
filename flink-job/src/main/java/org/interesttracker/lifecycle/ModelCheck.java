package org.interesttracker.lifecycle;

import java.io.IOException;
import org.interesttracker.avro.state.ServedModel;
import org.interesttracker.popularity.GoldenPopularityCheck;
import org.interesttracker.popularity.PopularityRule;
import org.interesttracker.serving.GoldenStreamCheck;
import org.interesttracker.serving.GoldenStreams;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.ModelLoadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model must pass before it serves in a running job: it loads (manifest of a contract this
 * release implements, vocabularies, embeddings and popularity consistent with it, an ONNX graph
 * ONNX Runtime opens with the inputs and outputs the contract names), it is the version it was
 * published as, it keeps the history the job keeps, and it reproduces its golden streams.
 */
public final class ModelCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCheck.class);

  private ModelCheck() {}

  /**
   * A model that blends live popularity must have been trained with the rule the job computes it
   * by; a model without it serves its exported table.
   *
   * @throws ModelLoadException naming both rules
   */
  public static void requireLivePopularity(ModelBundle bundle, PopularityRule jobRule) {
    bundle
        .livePopularity()
        .filter(rule -> !rule.equals(jobRule))
        .ifPresent(
            rule -> {
              throw new ModelLoadException(
                  bundle.location()
                      + ": the model was trained with live popularity "
                      + rule
                      + ", but this job computes "
                      + jobRule
                      + " (the rule of the model it started with); start a job for it");
            });
  }

  /**
   * @throws ModelLoadException naming the file or stream and what is wrong
   */
  public static ModelBundle load(ServedModel model, int historyLength) {
    ModelFiles files = ModelFiles.of(model.getModelDir());
    ModelBundle bundle = ModelBundle.load(files, historyLength);
    if (!bundle.version().equals(model.getVersion())) {
      throw new ModelLoadException(
          files.location()
              + " holds model version "
              + bundle.version()
              + ", not "
              + model.getVersion());
    }
    GoldenStreams golden;
    try {
      golden = GoldenStreams.read(files);
    } catch (IOException e) {
      throw new ModelLoadException(
          files.location() + ": cannot read the golden streams: " + e.getMessage(), e);
    }
    GoldenStreamCheck.verify(bundle, golden);
    if (bundle.livePopularity().isPresent()) {
      GoldenPopularityCheck.verify(bundle, golden);
    }
    LOG.info(
        "Model {} from {} passed its checks: streaming-step contract {}, popularity {}",
        bundle.version(),
        files.location(),
        bundle.step().contractVersion(),
        bundle.livePopularity().map(rule -> "live " + rule).orElse("from the export"));
    return bundle;
  }
}
