package dev.weft.cli;

import dev.weft.scheduler.BatchingMode;
import dev.weft.scheduler.PreemptionMode;
import dev.weft.scheduler.SchedulingPolicy;
import dev.weft.server.ServingOptions;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How a server serves its model: the flags of {@code serve}, shared by {@code bench serve}. */
final class ServerFlags {

  @Option(
      names = "--kv-cache-memory",
      defaultValue = "256MiB",
      converter = ByteSize.class,
      paramLabel = "SIZE",
      description = "Memory for the paged KV cache, e.g. 512MiB (default: ${DEFAULT-VALUE}).")
  long kvCacheMemory;

  @Option(
      names = "--swap-space",
      defaultValue = "256MiB",
      converter = ByteSize.class,
      paramLabel = "SIZE",
      description = "Host memory for swapped-out KV blocks, used with --preemption swap.")
  long swapSpace;

  @Option(names = "--block-size", defaultValue = "16", description = "Tokens per KV block.")
  int blockSize;

  @Option(
      names = "--max-num-seqs",
      defaultValue = "64",
      description = "Most requests in one batch (default: ${DEFAULT-VALUE}).")
  int maxNumSeqs;

  @Option(
      names = "--max-batched-tokens",
      defaultValue = "2048",
      description = "Most tokens computed in one step (default: ${DEFAULT-VALUE}).")
  int maxBatchedTokens;

  @Option(
      names = "--max-waiting",
      defaultValue = "1024",
      description = "Waiting-queue capacity; beyond it requests get RESOURCE_EXHAUSTED.")
  int maxWaiting;

  @Option(
      names = "--scheduler",
      defaultValue = "continuous",
      description = "continuous or static batching (default: ${DEFAULT-VALUE}).")
  String scheduler;

  @Option(
      names = "--policy",
      defaultValue = "fcfs",
      description = "fcfs or priority (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--preemption",
      defaultValue = "recompute",
      description = "recompute or swap, when the KV cache runs out (default: ${DEFAULT-VALUE}).")
  String preemption;

  @Option(
      names = "--no-prefix-caching",
      description = "Do not share KV blocks between requests with the same prefix.")
  boolean noPrefixCaching;

  @Option(
      names = "--drain-timeout",
      defaultValue = "30",
      description =
          "Seconds a graceful stop waits for running requests (default: ${DEFAULT-VALUE}).")
  int drainSeconds;

  ServingOptions toOptions() {
    PreemptionMode victims = parse(PreemptionMode.class, "--preemption", preemption);
    return ServingOptions.defaults()
        .withKvCacheMemory(kvCacheMemory)
        .withBlockSize(blockSize)
        .withLimits(maxNumSeqs, maxBatchedTokens, maxWaiting)
        .withScheduling(
            parse(BatchingMode.class, "--scheduler", scheduler),
            parse(SchedulingPolicy.class, "--policy", policy),
            victims,
            victims == PreemptionMode.SWAP ? swapSpace : 0)
        .withPrefixCaching(!noPrefixCaching)
        .withDrainTimeout(Duration.ofSeconds(drainSeconds));
  }

  static <E extends Enum<E>> E parse(Class<E> type, String flag, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder names = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        names
            .append(names.length() == 0 ? "" : ", ")
            .append(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(
          "invalid " + flag + " '" + value + "': must be one of " + names);
    }
  }
}
