package dev.weft.benchmarks.engine;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.forward.PagedForward;
import dev.weft.engine.forward.PagedKvPool;
import dev.weft.engine.llama2c.Llama2cCheckpoint;
import dev.weft.engine.llama2c.Llama2cCheckpointWriter;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.RandomWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decode tokens/s at batch 1, 8, 32 and prefill tokens/s for 128- and 512-token chunks, through the
 * serving path's batched paged forward pass, each beside the machine's limit for that step and, for
 * batch-1 decode, beside llama2.c's run.c on the same weights.
 *
 * <p>Usage: {@code EngineBenchmark --out DIR --work DIR --models DIR [--shapes
 * stories260K,15M,110M] [--runc PATH]}. See benchmarks/engine/run-engine-bench.sh.
 */
public final class EngineBenchmark {

  private static final int[] DECODE_BATCHES = {1, 8, 32};
  private static final int[] PREFILL_CHUNKS = {128, 512};
  private static final int DECODE_CONTEXT = 128;

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    BenchArgs a = BenchArgs.parse(args);
    Files.createDirectories(a.out());
    Files.createDirectories(a.work());
    List<BenchResult> rows = new ArrayList<>();
    double bandwidth;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      MachineLimits limits = new MachineLimits(manager);
      bandwidth = limits.bytesPerSecond();
      System.err.printf("memory read bandwidth: %.1f GB/s%n", bandwidth / 1e9);
      for (String shape : a.shapes()) {
        Path checkpoint = checkpointFor(shape, a);
        LlamaWeights weights = Llama2cCheckpoint.read(checkpoint);
        rows.addAll(measure(shape, weights, manager, limits));
        if (a.runc() != null) {
          Path tokenizer =
              shape.equals("stories260K")
                  ? a.models().resolve("stories260K/tok512.bin")
                  : a.work().resolve(shape + "-tokenizer.bin");
          for (int threads : new int[] {1, 2}) {
            double tps = RunC.tokensPerSecond(a.runc(), checkpoint, tokenizer, 256, threads);
            rows.add(BenchResult.external(shape, "run.c decode, OMP_NUM_THREADS=" + threads, tps));
            System.err.printf("%s run.c threads=%d: %.1f tok/s%n", shape, threads, tps);
          }
        }
      }
    }
    BenchReport.write(a, rows, bandwidth);
  }

  private static Path checkpointFor(String shape, BenchArgs a) throws IOException {
    if (shape.equals("stories260K")) {
      return a.models().resolve("stories260K/stories260K.bin");
    }
    LlamaConfig config = BenchShapes.named(shape);
    Path bin = a.work().resolve(shape + ".bin");
    if (!Files.exists(bin)) {
      System.err.println("writing random-weight " + shape + " checkpoint to " + bin);
      Llama2cCheckpointWriter.write(RandomWeights.generate(config, 7), bin);
    }
    Path tok = a.work().resolve(shape + "-tokenizer.bin");
    if (!Files.exists(tok)) {
      RunC.writeSyntheticTokenizer(tok, config.vocabSize());
    }
    return bin;
  }

  private static List<BenchResult> measure(
      String shape, LlamaWeights weights, NDManager manager, MachineLimits limits) {
    LlamaConfig c = weights.config();
    List<BenchResult> rows = new ArrayList<>();
    int maxBatch = DECODE_BATCHES[DECODE_BATCHES.length - 1];
    int blockSize = 16;
    int numBlocks = maxBatch * StepWorkload.MAX_POSITIONS / blockSize;
    try (LlamaModel model = new LlamaModel(manager, weights);
        PagedKvPool pool = new PagedKvPool(manager, c, numBlocks, blockSize, 0)) {
      StepWorkload work = new StepWorkload(new PagedForward(model), pool, c.vocabSize());
      StepCost cost = new StepCost(c, limits);
      for (int batch : DECODE_BATCHES) {
        double seconds = work.decodeStepSeconds(batch, DECODE_CONTEXT, 3, 32);
        rows.add(cost.result(shape, "decode batch " + batch, batch, batch, seconds));
        System.err.println(rows.get(rows.size() - 1).summary());
      }
      for (int chunk : PREFILL_CHUNKS) {
        if (chunk > c.maxSeqLen()) {
          continue;
        }
        double seconds = work.prefillSeconds(chunk, 3);
        rows.add(cost.result(shape, "prefill chunk " + chunk, chunk, 1, seconds));
        System.err.println(rows.get(rows.size() - 1).summary());
      }
    }
    return rows;
  }
}
