package org.interesttracker.serving;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The streaming model's per-event step graph in an ONNX Runtime session. Plain Java, no Flink: open
 * a step directory, then run batches of new events against the users' cached states. One intra-op
 * thread, because Flink already runs one instance per task slot.
 */
public final class StreamingStepModel implements AutoCloseable {
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final StreamingStepManifest manifest;

  private StreamingStepModel(OrtSession session, StreamingStepManifest manifest) {
    this.session = session;
    this.manifest = manifest;
  }

  /**
   * Opens a model's step graph and checks its inputs and outputs against the manifest.
   *
   * @throws ModelLoadException if the graph cannot be used
   */
  public static StreamingStepModel open(ModelBundle bundle) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    StreamingStepManifest manifest = bundle.step();
    String graph = bundle.location() + ": " + manifest.stepFile();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      OrtSession session = environment.createSession(bundle.onnx(), options);
      try {
        for (Map.Entry<String, long[]> input : inputShapes(manifest).entrySet()) {
          requireShape(graph, session.getInputInfo(), input.getKey(), input.getValue());
        }
        for (Map.Entry<String, long[]> output : outputShapes(manifest).entrySet()) {
          requireShape(graph, session.getOutputInfo(), output.getKey(), output.getValue());
        }
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
      return new StreamingStepModel(session, manifest);
    } catch (OrtException e) {
      throw new ModelLoadException(
          graph + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
    }
  }

  public StreamingStepManifest manifest() {
    return manifest;
  }

  public StreamingStepBatch newBatch(int capacity) {
    return new StreamingStepBatch(manifest, capacity);
  }

  /** Runs the step for the batch's rows; the users' caches are not changed here. */
  public StreamingStepOutputs run(StreamingStepBatch batch) throws OrtException {
    int rows = batch.size();
    int window = batch.window;
    int cached = batch.cachedEvents;
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("item", tensor(batch.items, rows, rows));
      inputs.put("scene", tensor(batch.scenes, rows, rows));
      inputs.put("event_type", tensor(batch.eventTypes, rows, rows));
      inputs.put("window_item", tensor(batch.windowItems, rows * window, rows, window));
      inputs.put("window_scene", tensor(batch.windowScenes, rows * window, rows, window));
      inputs.put("window_event_type", tensor(batch.windowEventTypes, rows * window, rows, window));
      inputs.put("age_seconds", tensor(batch.ages, rows * cached, rows, cached));
      inputs.put(
          "cache",
          tensor(batch.cache, rows * cached * batch.cacheDim, rows, cached, batch.cacheDim));
      inputs.put("cache_mask", tensor(batch.cacheMask, rows * cached, rows, cached));
      if (manifest.takesRequestAge()) {
        inputs.put("request_age_seconds", tensor(batch.requestAges, rows, rows));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        int queries = manifest.numQueries();
        int dim = manifest.dim();
        int length = manifest.historyLength();
        return new StreamingStepOutputs(
            floats(result, "new_state", rows * manifest.cacheDim()),
            floats(result, "interests", rows * queries * dim),
            floats(result, "attention", rows * queries * length),
            floats(result, "popularity_weight", rows * queries),
            rows,
            queries,
            manifest.cacheDim(),
            dim,
            length);
      }
    } finally {
      for (OnnxTensor tensor : inputs.values()) {
        tensor.close();
      }
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  private OnnxTensor tensor(LongBuffer buffer, int count, long... shape) throws OrtException {
    LongBuffer first =
        ((LongBuffer) ((Buffer) buffer.duplicate()).position(0).limit(count)).slice();
    return OnnxTensor.createTensor(environment, first, shape);
  }

  private OnnxTensor tensor(FloatBuffer buffer, int count, long... shape) throws OrtException {
    FloatBuffer first =
        ((FloatBuffer) ((Buffer) buffer.duplicate()).position(0).limit(count)).slice();
    return OnnxTensor.createTensor(environment, first, shape);
  }

  private static float[] floats(OrtSession.Result result, String name, int expected)
      throws OrtException {
    FloatBuffer buffer = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
    if (buffer.remaining() != expected) {
      throw new IllegalStateException(
          "output " + name + " has " + buffer.remaining() + " values, expected " + expected);
    }
    float[] values = new float[expected];
    buffer.get(values);
    return values;
  }

  /** Shapes after the batch axis, as the contract derives them from the manifest. */
  static Map<String, long[]> inputShapes(StreamingStepManifest manifest) {
    long window = manifest.encoderWindow();
    long cached = manifest.cachedEvents();
    Map<String, long[]> shapes = new HashMap<>();
    for (String name : new String[] {"item", "scene", "event_type"}) {
      shapes.put(name, new long[0]);
    }
    for (String name : new String[] {"window_item", "window_scene", "window_event_type"}) {
      shapes.put(name, new long[] {window});
    }
    shapes.put("age_seconds", new long[] {cached});
    shapes.put("cache", new long[] {cached, manifest.cacheDim()});
    shapes.put("cache_mask", new long[] {cached});
    if (manifest.takesRequestAge()) {
      shapes.put("request_age_seconds", new long[0]);
    }
    return shapes;
  }

  static Map<String, long[]> outputShapes(StreamingStepManifest manifest) {
    long queries = manifest.numQueries();
    return Map.of(
        "new_state", new long[] {manifest.cacheDim()},
        "interests", new long[] {queries, manifest.dim()},
        "attention", new long[] {queries, manifest.historyLength()},
        "popularity_weight", new long[] {queries});
  }

  private static void requireShape(
      String graph, Map<String, NodeInfo> nodes, String name, long[] expected) {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw new ModelLoadException(
          graph + ": the step graph has no " + name + "; it has " + nodes.keySet());
    }
    long[] shape = ((TensorInfo) node.getInfo()).getShape();
    long[] tail = Arrays.copyOfRange(shape, 1, shape.length);
    if (!Arrays.equals(tail, expected)) {
      throw new ModelLoadException(
          graph
              + ": "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + ", but the manifest implies [batch"
              + (expected.length == 0 ? "" : ", ")
              + Arrays.toString(expected).replaceAll("[\\[\\]]", "")
              + "]");
    }
  }
}
