package dev.weft.accel.circulant;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** One ORT session over an in-memory model, with float inputs of shape batch × width. */
final class OnnxSession implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OnnxSession(byte[] model, int threads) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      session = env.createSession(model, options);
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime rejected the exported graph: " + e, e);
    }
  }

  float[] run(String input, float[] x, int batch, int width) {
    return run(new String[] {input}, new float[][] {x}, batch, new int[] {width});
  }

  /** Runs with named batch × width[i] inputs and returns the first output, flattened. */
  float[] run(String[] names, float[][] values, int batch, int[] widths) {
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      for (int i = 0; i < names.length; i++) {
        inputs.put(
            names[i],
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(values[i]), new long[] {batch, widths[i]}));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
        float[] y = new float[out.remaining()];
        out.get(y);
        return y;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime run failed: " + e, e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the onnxruntime session failed: " + e, e);
    }
  }
}
