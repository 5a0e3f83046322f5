package dev.weft.cli.sim;

import dev.weft.scheduler.BatchingMode;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.KvShape;
import dev.weft.scheduler.PreemptionMode;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.SchedulingPolicy;
import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.SwapCostModel;
import dev.weft.simulator.calibration.ModelShape;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The scheduler flags of {@code weft serve}, with the same names and defaults, for {@code weft
 * simulate}; they become the serving loop's config exactly as the server computes it (KV blocks =
 * memory / bytes per block of the model's KV shape).
 */
final class SimServingFlags {

  @Option(
      names = "--kv-cache-memory",
      defaultValue = "256MiB",
      paramLabel = "SIZE",
      description =
          "Memory for the paged KV cache, e.g. 512MiB, 40GiB (default: ${DEFAULT-VALUE}).")
  String kvCacheMemory;

  @Option(
      names = "--swap-space",
      defaultValue = "256MiB",
      paramLabel = "SIZE",
      description = "Host memory for swapped-out KV blocks, used with --preemption swap.")
  String swapSpace;

  @Option(names = "--block-size", defaultValue = "16", description = "Tokens per KV block.")
  int blockSize;

  @Option(
      names = "--max-num-seqs",
      defaultValue = "64",
      description = "Most requests in one batch.")
  int maxNumSeqs;

  @Option(
      names = "--max-batched-tokens",
      defaultValue = "2048",
      description = "Most tokens computed in one step (the prefill chunk size).")
  int maxBatchedTokens;

  @Option(names = "--max-waiting", defaultValue = "1024", description = "Waiting-queue capacity.")
  int maxWaiting;

  @Option(names = "--scheduler", defaultValue = "continuous", description = "continuous or static.")
  String scheduler;

  @Option(names = "--policy", defaultValue = "fcfs", description = "fcfs or priority.")
  String policy;

  @Option(names = "--preemption", defaultValue = "recompute", description = "recompute or swap.")
  String preemption;

  @Option(names = "--no-prefix-caching", description = "Do not share prefix KV blocks.")
  boolean noPrefixCaching;

  /**
   * The loop's config for {@code model} with KV elements of {@code bytesPerElement}; swaps cost
   * {@code swapBytesPerSecond} plus 10 us per batch (modelled).
   */
  ServingConfig toConfig(ModelShape model, int bytesPerElement, double swapBytesPerSecond) {
    KvShape kv = new KvShape(model.layers(), model.kvHeads(), model.headDim(), bytesPerElement);
    long memory = bytes("--kv-cache-memory", kvCacheMemory);
    if (blockSize < 1) {
      throw new IllegalArgumentException("--block-size is " + blockSize + ", must be >= 1");
    }
    int blocks = CacheConfig.blocksFor(memory, kv, blockSize);
    if (blocks < 1) {
      throw new IllegalArgumentException(
          "--kv-cache-memory "
              + kvCacheMemory
              + " holds no block of "
              + blockSize
              + " tokens ("
              + kv.bytesPerBlock(blockSize)
              + " bytes each)");
    }
    PreemptionMode victims = parse(PreemptionMode.class, "--preemption", preemption);
    long swap = victims == PreemptionMode.SWAP ? bytes("--swap-space", swapSpace) : 0;
    int hostBlocks = (int) Math.min(Integer.MAX_VALUE, swap / kv.bytesPerBlock(blockSize));
    SchedulerConfig s =
        SchedulerConfig.of(maxNumSeqs, maxBatchedTokens, model.context(), maxWaiting)
            .withMode(parse(BatchingMode.class, "--scheduler", scheduler))
            .withPolicy(parse(SchedulingPolicy.class, "--policy", policy))
            .withPreemption(victims);
    CacheConfig cache =
        CacheConfig.of(blockSize, blocks)
            .withPrefixCaching(!noPrefixCaching)
            .withHostStore(
                hostBlocks,
                new SwapCostModel(kv.bytesPerBlock(blockSize), swapBytesPerSecond, 10_000));
    return new ServingConfig(s, cache);
  }

  static long bytes(String flag, String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    for (String[] u :
        new String[][] {
          {"GIB", "1073741824"},
          {"MIB", "1048576"},
          {"KIB", "1024"},
          {"GB", "1000000000"},
          {"MB", "1000000"},
          {"KB", "1000"},
          {"B", "1"}
        }) {
      if (t.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        t = t.substring(0, t.length() - u[0].length()).strip();
        break;
      }
    }
    try {
      double v = Double.parseDouble(t);
      if (!(v >= 0)) {
        throw new NumberFormatException();
      }
      return (long) (v * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid " + flag + " '" + text + "': expected a size such as 512MiB or 40GiB");
    }
  }

  static <E extends Enum<E>> E parse(Class<E> type, String flag, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder names = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        names.append(names.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(
          "invalid " + flag + " '" + value + "': must be one of " + names);
    }
  }
}
