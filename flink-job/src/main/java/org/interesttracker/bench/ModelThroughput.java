package org.interesttracker.bench;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;
import org.interesttracker.serving.HistoryBatch;
import org.interesttracker.serving.HistoryEncoder;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.OnnxInterestModel;
import org.interesttracker.serving.Recommender;

/**
 * Events per second of the model alone (ONNX Runtime on encoded histories, at a given batch size)
 * and of the whole per-event recommendation (model, top-K over every item, reasons). Each figure is
 * the median of several rounds over the same requests, after a warm-up round.
 */
final class ModelThroughput {
  private final ModelBundle bundle;
  private final List<Recommender.Request> requests;
  private final int rounds;

  ModelThroughput(ModelBundle bundle, List<Recommender.Request> requests, int rounds) {
    this.bundle = bundle;
    this.requests = requests;
    this.rounds = rounds;
  }

  double onnxEventsPerSecond(int batchSize) throws OrtException {
    HistoryEncoder encoder = new HistoryEncoder(bundle);
    try (OnnxInterestModel model = OnnxInterestModel.open(bundle)) {
      HistoryBatch batch = model.newBatch(batchSize);
      return medianEventsPerSecond(
          () -> {
            for (int from = 0; from < requests.size(); from += batchSize) {
              batch.clear();
              for (int i = from; i < Math.min(requests.size(), from + batchSize); i++) {
                encoder.encode(requests.get(i).history(), batch, batch.addRow());
              }
              model.run(batch);
            }
          });
    }
  }

  double recommenderEventsPerSecond(int topK, int reasons) throws OrtException {
    try (Recommender recommender = Recommender.exact(bundle, topK, reasons, 1)) {
      return medianEventsPerSecond(
          () -> {
            for (Recommender.Request request : requests) {
              recommender.recommend(List.of(request));
            }
          });
    }
  }

  /** One pass over all requests. */
  private interface Pass {
    void run() throws OrtException;
  }

  private double medianEventsPerSecond(Pass pass) throws OrtException {
    pass.run();
    List<Double> rates = new ArrayList<>(rounds);
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      pass.run();
      rates.add(requests.size() / ((System.nanoTime() - start) / 1e9));
    }
    return Median.of(rates);
  }
}
