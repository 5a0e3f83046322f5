package dev.weft.benchmarks.server;

import dev.weft.server.EmbeddingFiles;
import dev.weft.server.SentenceEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of {@link SentenceEmbedder} (all-MiniLM-L6-v2 on ONNX Runtime) called directly, one
 * batch at a time, at batch sizes 1, 8 and 32: texts/s, tokens/s and batch latency. Sentences are
 * drawn (seeded) from a small vocabulary, 6 to 24 words each, the same texts for every batch size.
 *
 * <p>Usage: {@code EmbedThroughput OUT_DIR [texts-per-rep] [reps] [intra-op-threads]}
 */
public final class EmbedThroughput {

  private static final String[] WORDS = {
    "the",
    "weather",
    "is",
    "lovely",
    "today",
    "a",
    "cat",
    "sat",
    "on",
    "mat",
    "server",
    "model",
    "tokens",
    "batch",
    "request",
    "quickly",
    "slowly",
    "river",
    "mountain",
    "children",
    "played",
    "outside",
    "under",
    "sunny",
    "sky",
    "while",
    "their",
    "parents",
    "cooked",
    "dinner",
    "music",
    "train",
    "arrived",
    "late",
    "again",
    "and",
    "everyone",
    "laughed"
  };
  private static final int[] BATCHES = {1, 8, 32};

  private EmbedThroughput() {}

  public static void main(String[] args) throws Exception {
    // Like the server's embedding batcher thread: ONNX Runtime needs a deeper native stack than
    // the main thread's (it crashes with SIGSEGV otherwise).
    Throwable[] error = new Throwable[1];
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                measure(args);
              } catch (Throwable e) {
                error[0] = e;
              }
            },
            "embed-bench",
            16L << 20);
    t.start();
    t.join();
    if (error[0] != null) {
      throw new IllegalStateException(error[0]);
    }
  }

  private static void measure(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int texts = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    Files.createDirectories(out);
    List<String> corpus = sentences(texts, 42);
    Path cache = Files.createTempDirectory("weft-embed-bench");
    List<String> csv = new ArrayList<>();
    csv.add("batch,rep,texts,tokens,wall_s,texts_per_s,tokens_per_s,p50_batch_ms,p99_batch_ms");
    try (SentenceEmbedder embedder =
        SentenceEmbedder.load(EmbeddingFiles.builtIn(cache), threads)) {
      for (int b : BATCHES) {
        run(embedder, corpus.subList(0, Math.min(32, corpus.size())), b); // warm-up
      }
      for (int rep = 0; rep < reps; rep++) {
        for (int b : BATCHES) { // interleaved, so drift in machine load hits every size alike
          csv.add(String.format(Locale.ROOT, "%d,%d,%s", b, rep, run(embedder, corpus, b)));
          System.out.println(csv.get(csv.size() - 1));
        }
      }
    }
    Files.write(out.resolve("embed-throughput.csv"), csv);
  }

  private static String run(SentenceEmbedder embedder, List<String> corpus, int batch) {
    int batches = corpus.size() / batch;
    long[] nanos = new long[batches];
    long tokens = 0;
    long start = System.nanoTime();
    for (int i = 0; i < batches; i++) {
      long t = System.nanoTime();
      tokens += embedder.embed(corpus.subList(i * batch, (i + 1) * batch)).totalTokens();
      nanos[i] = System.nanoTime() - t;
    }
    double wall = (System.nanoTime() - start) / 1e9;
    Arrays.sort(nanos);
    int n = batches * batch;
    return String.format(
        Locale.ROOT,
        "%d,%d,%.3f,%.1f,%.1f,%.2f,%.2f",
        n,
        tokens,
        wall,
        n / wall,
        tokens / wall,
        nanos[batches / 2] / 1e6,
        nanos[Math.min(batches - 1, (int) Math.ceil(batches * 0.99) - 1)] / 1e6);
  }

  static List<String> sentences(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int words = 6 + random.nextInt(19);
      StringBuilder s = new StringBuilder();
      for (int w = 0; w < words; w++) {
        s.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      out.add(s.append('.').toString());
    }
    return out;
  }
}
