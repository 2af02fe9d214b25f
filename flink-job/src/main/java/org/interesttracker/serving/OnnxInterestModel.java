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
import java.util.Map;

/**
 * The exported attention model in an ONNX Runtime session. Plain Java, no Flink: load once, then
 * run batches of any size up to a batch's capacity. One intra-op thread, because Flink already runs
 * one instance per task slot.
 */
public final class OnnxInterestModel implements AutoCloseable {
  static final String ITEM = "item";
  static final String SCENE = "scene";
  static final String EVENT_TYPE = "event_type";
  static final String AGE_SECONDS = "age_seconds";
  static final String INTERESTS = "interests";
  static final String ATTENTION = "attention";

  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final int length;
  private final int scenes;
  private final int dim;

  private OnnxInterestModel(OrtSession session, int length, int scenes, int dim) {
    this.session = session;
    this.length = length;
    this.scenes = scenes;
    this.dim = dim;
  }

  /**
   * Opens the bundle's graph and checks its inputs and outputs against the manifest.
   *
   * @throws ModelLoadException if the graph does not load or does not have the declared shapes
   */
  public static OnnxInterestModel open(ModelBundle bundle) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      OrtSession session = environment.createSession(bundle.onnx(), options);
      int scenes = bundle.scenes().size();
      try {
        for (String input : new String[] {ITEM, SCENE, EVENT_TYPE, AGE_SECONDS}) {
          requireShape(bundle, session.getInputInfo(), input, bundle.historyLength());
        }
        requireShape(bundle, session.getOutputInfo(), INTERESTS, scenes, bundle.dim());
        requireShape(bundle, session.getOutputInfo(), ATTENTION, scenes, bundle.historyLength());
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
      return new OnnxInterestModel(session, bundle.historyLength(), scenes, bundle.dim());
    } catch (OrtException e) {
      throw new ModelLoadException(
          bundle.location() + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
    }
  }

  public HistoryBatch newBatch(int capacity) {
    return new HistoryBatch(capacity, length);
  }

  public InterestOutputs run(HistoryBatch batch) throws OrtException {
    int rows = batch.size();
    long[] shape = {rows, length};
    int values = rows * length;
    try (OnnxTensor item =
            OnnxTensor.createTensor(environment, firstLongs(batch.items, values), shape);
        OnnxTensor scene =
            OnnxTensor.createTensor(environment, firstLongs(batch.scenes, values), shape);
        OnnxTensor type =
            OnnxTensor.createTensor(environment, firstLongs(batch.eventTypes, values), shape);
        OnnxTensor age =
            OnnxTensor.createTensor(environment, firstFloats(batch.ages, values), shape);
        OrtSession.Result result =
            session.run(Map.of(ITEM, item, SCENE, scene, EVENT_TYPE, type, AGE_SECONDS, age))) {
      float[] interests = floats(result, INTERESTS, rows * scenes * dim);
      float[] attention = floats(result, ATTENTION, rows * scenes * length);
      return new InterestOutputs(interests, attention, rows, scenes, dim, length);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  private static LongBuffer firstLongs(LongBuffer buffer, int count) {
    return ((LongBuffer) ((Buffer) buffer.duplicate()).position(0).limit(count)).slice();
  }

  private static FloatBuffer firstFloats(FloatBuffer buffer, int count) {
    return ((FloatBuffer) ((Buffer) buffer.duplicate()).position(0).limit(count)).slice();
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

  /** The node's shape after the dynamic batch axis must be {@code expected}. */
  private static void requireShape(
      ModelBundle bundle, Map<String, NodeInfo> nodes, String name, long... expected) {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw new ModelLoadException(
          bundle.location()
              + ": the ONNX graph has no "
              + name
              + " node; it has "
              + nodes.keySet());
    }
    long[] shape = ((TensorInfo) node.getInfo()).getShape();
    long[] tail = Arrays.copyOfRange(shape, 1, shape.length);
    if (!Arrays.equals(tail, expected)) {
      throw new ModelLoadException(
          bundle.location()
              + ": the ONNX node "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + ", but the manifest implies [batch, "
              + Arrays.toString(expected).replaceAll("[\\[\\]]", "")
              + "]");
    }
  }
}
