package dev.weft.trainer.sim;

import dev.weft.data.mnist.ImageDataset;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.metrics.MetricsCsv;
import dev.weft.trainer.model.ClassifierModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * How long simulated computation takes: an iteration's forward/backward time is drawn from {@code
 * gradientNanos} (times measured on the real model, or one given value), and an evaluation of the
 * test set takes {@code evalNanos}.
 */
public record ComputeProfile(long[] gradientNanos, long evalNanos) {

  public ComputeProfile {
    if (gradientNanos.length == 0) {
      throw new IllegalArgumentException("need at least one compute time");
    }
    gradientNanos = gradientNanos.clone();
    for (long g : gradientNanos) {
      if (g < 0) {
        throw new IllegalArgumentException("compute times must be >= 0");
      }
    }
    if (evalNanos < 0) {
      throw new IllegalArgumentException("evaluation time must be >= 0");
    }
  }

  /** Every iteration takes {@code gradient}; every evaluation {@code eval}. */
  public static ComputeProfile fixed(Duration gradient, Duration eval) {
    return new ComputeProfile(new long[] {gradient.toNanos()}, eval.toNanos());
  }

  /**
   * Times {@code samples} forward/backward passes of {@code model} on batches of {@code batch} from
   * {@code train} (after a warm-up) and one test-set evaluation, on this machine now.
   */
  public static ComputeProfile measure(
      ClassifierModel model, ImageDataset train, ImageDataset test, int batch, int samples) {
    int px = train.imageSize();
    float[] x = Arrays.copyOf(train.pixels(), batch * px);
    int[] y = Arrays.copyOf(train.labels(), batch);
    float[] params = model.initialParameters(0);
    float[] grad = new float[model.size()];
    for (int i = 0; i < 5; i++) {
      model.lossAndGradient(params, x, y, grad);
    }
    long[] times = new long[samples];
    for (int i = 0; i < samples; i++) {
      long t0 = System.nanoTime();
      model.lossAndGradient(params, x, y, grad);
      times[i] = System.nanoTime() - t0;
    }
    model.accuracy(params, test.pixels(), test.labels());
    long t0 = System.nanoTime();
    model.accuracy(params, test.pixels(), test.labels());
    return new ComputeProfile(times, System.nanoTime() - t0);
  }

  /**
   * Calibrates from a real run's {@code metrics.csv}: each sample is one iteration's period (wall
   * time since the worker's previous iteration) minus its exchange time, i.e. everything a worker
   * does besides waiting for the network and its peers (forward/backward under the real run's CPU
   * contention, batch assembly, metrics). Ranks in {@code skipRanks} (injected slowdowns) and each
   * worker's first iteration (start-up) are left out.
   *
   * @throws IllegalArgumentException naming the file if it holds no usable iteration pairs
   */
  public static ComputeProfile fromMetrics(Path metricsCsv, Set<Integer> skipRanks)
      throws IOException {
    Map<Integer, List<IterationRecord>> byRank = new TreeMap<>();
    for (IterationRecord r : MetricsCsv.read(metricsCsv)) {
      if (!skipRanks.contains(r.rank())) {
        byRank.computeIfAbsent(r.rank(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Long> samples = new ArrayList<>();
    for (List<IterationRecord> rs : byRank.values()) {
      rs.sort(Comparator.comparingLong(IterationRecord::iteration));
      for (int i = 1; i < rs.size(); i++) {
        if (rs.get(i).iteration() != rs.get(i - 1).iteration() + 1) {
          continue;
        }
        double period = rs.get(i).wallSeconds() - rs.get(i - 1).wallSeconds();
        samples.add((long) (Math.max(0, period - rs.get(i).waitSeconds()) * 1e9));
      }
    }
    if (samples.isEmpty()) {
      throw new IllegalArgumentException(
          metricsCsv + " has no consecutive iterations of an unslowed worker to calibrate from");
    }
    return new ComputeProfile(samples.stream().mapToLong(Long::longValue).toArray(), 0);
  }

  /** One iteration's compute time. */
  public Duration draw(Random random) {
    return Duration.ofNanos(
        gradientNanos.length == 1
            ? gradientNanos[0]
            : gradientNanos[random.nextInt(gradientNanos.length)]);
  }

  public double meanGradientMillis() {
    return Arrays.stream(gradientNanos).average().orElse(0) / 1e6;
  }
}
