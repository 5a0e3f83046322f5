package dev.weft.server;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Computes the golden cosine similarities in {@code
 * src/test/resources/embeddings/golden-cosines.csv} with ONNX Runtime directly, independently of
 * {@link SentenceEmbedder}: one sentence per run (no padding, no batching), the tokenizer's own
 * truncation, pooling over the raw {@code float[][][]} output. Run once (see the README beside the
 * file):
 *
 * <pre>
 * mvn -o -q -pl server test-compile exec:java ... or: java -cp "$(cat cp.txt)" dev.weft.server.GoldenEmbeddings OUT.csv
 * </pre>
 */
public final class GoldenEmbeddings {

  /** Sentence pairs: sentence-transformers' all-MiniLM-L6-v2 model-card example first. */
  static final String[][] PAIRS = {
    {"The weather is lovely today.", "It's so sunny outside!"},
    {"The weather is lovely today.", "He drove to the stadium."},
    {"It's so sunny outside!", "He drove to the stadium."},
    {"A man is eating food.", "A man is eating a piece of bread."},
    {"A man is eating food.", "A man is riding a horse."},
    {"A man is playing guitar.", "A woman watches TV."},
    {"The new movie is awesome", "The new movie is so great"},
    {"The cat sits outside", "The dog plays in the garden"},
    {"How do I reset my password?", "I forgot my password and cannot log in."},
    {"How do I reset my password?", "The stock market fell sharply on Monday."},
  };

  private GoldenEmbeddings() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "golden-cosines.csv");
    EmbeddingFiles files = EmbeddingFiles.builtIn(Path.of("target", "embedding-models"));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<String> lines = new ArrayList<>();
    lines.add("pair,cosine,a,b");
    try (HuggingFaceTokenizer tok =
            HuggingFaceTokenizer.newInstance(
                files.tokenizer(),
                Map.of("truncation", "true", "maxLength", "256", "padding", "false"));
        OrtSession session =
            SentenceEmbedder.onLargeStack(() -> env.createSession(files.onnx().toString()))) {
      for (int p = 0; p < PAIRS.length; p++) {
        double[] a = embed(env, session, tok, PAIRS[p][0]);
        double[] b = embed(env, session, tok, PAIRS[p][1]);
        double dot = 0;
        for (int k = 0; k < a.length; k++) {
          dot += a[k] * b[k];
        }
        lines.add(
            String.format(Locale.ROOT, "%d,%.6f,\"%s\",\"%s\"", p, dot, PAIRS[p][0], PAIRS[p][1]));
      }
    }
    Files.write(out, lines);
    lines.forEach(System.out::println);
  }

  private static double[] embed(
      OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tok, String text)
      throws Exception {
    Encoding e = tok.encode(text);
    long[][] ids = {e.getIds()};
    long[][] mask = {e.getAttentionMask()};
    long[][] types = {new long[ids[0].length]};
    try (OnnxTensor i = OnnxTensor.createTensor(env, ids);
        OnnxTensor m = OnnxTensor.createTensor(env, mask);
        OnnxTensor t = OnnxTensor.createTensor(env, types);
        OrtSession.Result r =
            session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
      float[][][] hidden = (float[][][]) r.get(0).getValue();
      double[] mean = new double[hidden[0][0].length];
      for (float[] token : hidden[0]) {
        for (int k = 0; k < mean.length; k++) {
          mean[k] += token[k] / hidden[0].length;
        }
      }
      double norm = 0;
      for (double v : mean) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      for (int k = 0; k < mean.length; k++) {
        mean[k] /= norm;
      }
      return mean;
    }
  }
}
