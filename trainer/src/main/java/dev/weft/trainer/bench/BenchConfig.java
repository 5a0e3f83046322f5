package dev.weft.trainer.bench;

import java.util.List;

/**
 * One process of the tensor-exchange benchmark.
 *
 * @param mode {@code grpc} (ring All-Reduce over the peer service) or {@code tcp} (raw sockets in
 *     the same ring, moving the same bytes per link)
 * @param ports loopback ports of every rank, in rank order
 * @param sizesBytes buffer sizes to all-reduce
 * @param reps timed repetitions per size
 * @param warmupSeconds untimed all-reduces of each size run until rank 0 has spent this long on
 *     them (at least one), so that the timed repetitions measure the JIT-compiled steady state
 * @param chunkElements float32 values per all-reduce chunk (the pipelining granularity)
 * @param outCsv where rank 0 writes its timings
 */
public record BenchConfig(
    String mode,
    String runId,
    int rank,
    List<Integer> ports,
    List<Long> sizesBytes,
    int reps,
    double warmupSeconds,
    int chunkElements,
    String outCsv) {

  public BenchConfig {
    if (!mode.equals("grpc") && !mode.equals("tcp")) {
      throw new IllegalArgumentException("benchmark mode must be grpc or tcp, got " + mode);
    }
    ports = List.copyOf(ports);
    sizesBytes = List.copyOf(sizesBytes);
    if (ports.size() < 2 || rank < 0 || rank >= ports.size()) {
      throw new IllegalArgumentException("need >= 2 ranks and a rank among them");
    }
    for (long s : sizesBytes) {
      if (s < 4 || s % 4 != 0 || s > (1L << 31) - 1) {
        throw new IllegalArgumentException(
            "size " + s + " must be a positive multiple of 4 below 2 GiB");
      }
    }
    if (chunkElements < 1) {
      throw new IllegalArgumentException("chunk must be >= 1 value");
    }
    if (!(warmupSeconds >= 0)) {
      throw new IllegalArgumentException("warm-up must be >= 0 s, got " + warmupSeconds);
    }
    if (reps < 1) {
      throw new IllegalArgumentException("reps must be >= 1");
    }
  }
}
