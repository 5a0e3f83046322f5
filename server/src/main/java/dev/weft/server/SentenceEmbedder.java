package dev.weft.server;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT-style sentence-embedding model on ONNX Runtime, as sentence-transformers runs it:
 * WordPiece tokens with [CLS] and [SEP], truncated to {@link #MAX_TOKENS}; the last hidden state
 * averaged over the real (unpadded) tokens; the mean scaled to unit length. Texts of one call are
 * padded to the longest; the attention mask keeps padding from changing any text's embedding.
 */
public final class SentenceEmbedder implements AutoCloseable {

  /** all-MiniLM-L6-v2's max_seq_length in sentence-transformers. */
  public static final int MAX_TOKENS = 256;

  /** Per text, in input order: its vector, its tokens after truncation, whether it was cut. */
  public record Result(float[][] vectors, int[] tokens, boolean[] truncated) {

    public int totalTokens() {
      return java.util.Arrays.stream(tokens).sum();
    }

    public int truncatedCount() {
      int n = 0;
      for (boolean t : truncated) {
        n += t ? 1 : 0;
      }
      return n;
    }

    /** Texts {@code from} (inclusive) to {@code to} (exclusive). */
    public Result slice(int from, int to) {
      return new Result(
          java.util.Arrays.copyOfRange(vectors, from, to),
          java.util.Arrays.copyOfRange(tokens, from, to),
          java.util.Arrays.copyOfRange(truncated, from, to));
    }
  }

  private final String name;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean takesTokenTypes;
  private final String hiddenOutput;
  private final int dimension;

  private SentenceEmbedder(
      String name, OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer)
      throws OrtException {
    this.name = name;
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
    // The per-token hidden states: [batch, tokens, dimension] (the graph may have pooled outputs
    // too; pooling here keeps it the same for every graph).
    NodeInfo hidden = null;
    for (NodeInfo info : session.getOutputInfo().values()) {
      if (info.getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
        hidden = info;
        break;
      }
    }
    if (hidden == null) {
      throw new IllegalArgumentException(
          name + ": the ONNX graph has no [batch, tokens, dimension] output to pool");
    }
    long[] shape = ((TensorInfo) hidden.getInfo()).getShape();
    this.hiddenOutput = hidden.getName();
    this.dimension = (int) shape[2];
  }

  /**
   * Loads the model.
   *
   * @param intraOpThreads ONNX Runtime's threads per run (0: its default, one per core)
   */
  public static SentenceEmbedder load(EmbeddingFiles files, int intraOpThreads) {
    HuggingFaceTokenizer tokenizer;
    try {
      // Truncation is done here (to count truncated texts); padding too (to the batch's longest).
      tokenizer =
          HuggingFaceTokenizer.newInstance(
              files.tokenizer(),
              Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          files.tokenizer() + ": not a usable tokenizer.json: " + e.getMessage(), e);
    }
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
      }
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = onLargeStack(() -> env.createSession(files.onnx().toString(), options));
      return new SentenceEmbedder(files.name(), env, session, tokenizer);
    } catch (OrtException e) {
      tokenizer.close();
      throw new IllegalArgumentException(
          files.onnx() + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
  }

  /** Native stack for threads that call into ONNX Runtime (see {@link #onLargeStack}). */
  static final long ORT_STACK_BYTES = 16L << 20;

  interface OrtCall<T> {
    T call() throws OrtException;
  }

  /**
   * Runs {@code call} on a thread with a 16 MiB stack. ONNX Runtime's graph optimiser recurses deep
   * enough to overflow a JVM thread's default 1 MiB stack, which kills the process with SIGSEGV
   * (seen when loading all-MiniLM-L6-v2 from a JVM with a long classpath).
   */
  static <T> T onLargeStack(OrtCall<T> call) throws OrtException {
    Object[] result = new Object[1];
    Throwable[] error = new Throwable[1];
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                result[0] = call.call();
              } catch (Throwable e) {
                error[0] = e;
              }
            },
            "weft-onnx-load",
            ORT_STACK_BYTES);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the ONNX model", e);
    }
    if (error[0] instanceof OrtException e) {
      throw e;
    }
    if (error[0] instanceof RuntimeException e) {
      throw e;
    }
    if (error[0] != null) {
      throw new IllegalStateException(error[0]);
    }
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }

  public String name() {
    return name;
  }

  public int dimension() {
    return dimension;
  }

  /** Embeds {@code texts} in one ONNX Runtime run. */
  public Result embed(List<String> texts) {
    int n = texts.size();
    long[][] ids = new long[n][];
    int longest = 0;
    int[] tokens = new int[n];
    boolean[] truncated = new boolean[n];
    for (int i = 0; i < n; i++) {
      Encoding e = tokenizer.encode(texts.get(i));
      long[] all = e.getIds();
      if (all.length > MAX_TOKENS) {
        // Keep [CLS] and the first tokens, end with [SEP]: what the tokenizer's own truncation
        // gives at max_length 256.
        long[] cut = java.util.Arrays.copyOf(all, MAX_TOKENS);
        cut[MAX_TOKENS - 1] = all[all.length - 1];
        all = cut;
        truncated[i] = true;
      }
      ids[i] = all;
      longest = Math.max(longest, all.length);
      tokens[i] = all.length;
    }
    long[] inputIds = new long[n * longest];
    long[] mask = new long[n * longest];
    for (int i = 0; i < n; i++) {
      System.arraycopy(ids[i], 0, inputIds, i * longest, ids[i].length);
      java.util.Arrays.fill(mask, i * longest, i * longest + ids[i].length, 1L);
    }
    long[] shape = {n, longest};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (takesTokenTypes) {
        inputs.put(
            "token_type_ids",
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * longest]), shape));
      }
      try (OrtSession.Result out = session.run(inputs)) {
        FloatBuffer hidden = ((OnnxTensor) out.get(hiddenOutput).orElseThrow()).getFloatBuffer();
        return new Result(meanPoolNormalised(hidden, ids, longest), tokens, truncated);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed on a batch of " + n + ": " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** Per text: the mean of its real tokens' hidden states, scaled to unit L2 norm. */
  private float[][] meanPoolNormalised(FloatBuffer hidden, long[][] ids, int longest) {
    int d = dimension;
    float[][] vectors = new float[ids.length][d];
    for (int i = 0; i < ids.length; i++) {
      double[] sum = new double[d];
      int len = ids[i].length;
      for (int t = 0; t < len; t++) {
        int base = (i * longest + t) * d;
        for (int k = 0; k < d; k++) {
          sum[k] += hidden.get(base + k);
        }
      }
      double norm = 0;
      for (int k = 0; k < d; k++) {
        sum[k] /= len;
        norm += sum[k] * sum[k];
      }
      // sentence-transformers' Normalize: x / max(||x||, 1e-12).
      double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
      for (int k = 0; k < d; k++) {
        vectors[i][k] = (float) (sum[k] * scale);
      }
    }
    return vectors;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // Nothing left to do with a session that will not close.
    }
    tokenizer.close();
  }
}
