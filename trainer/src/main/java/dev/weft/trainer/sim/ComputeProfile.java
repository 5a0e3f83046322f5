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
 *
 * <p>A profile calibrated from a real run can keep that run's time course: with {@code
 * sampleIterations} (the iteration each sample was measured at, ascending) and a {@code window} of
 * W, iteration i draws among the samples measured at iterations i-W/2 .. i+W/2 (the run's last W
 * iterations beyond its end, its first W before its start). A fresh worker JVM gets faster for
 * hundreds of iterations as the JIT compiles its training path (benchmarks/results/trainer/scale),
 * and a simulation that drew from the whole run would finish those iterations too early.
 *
 * @param gradientNanos forward/backward times, in the order of {@code sampleIterations} if given
 * @param sampleIterations the iteration of each sample, ascending; empty for no time course
 * @param window iterations a draw may come from around its own; 0 for the whole profile
 * @param evalNanos one test-set evaluation
 */
public record ComputeProfile(
    long[] gradientNanos, long[] sampleIterations, int window, long evalNanos) {

  public ComputeProfile {
    if (gradientNanos.length == 0) {
      throw new IllegalArgumentException("need at least one compute time");
    }
    gradientNanos = gradientNanos.clone();
    sampleIterations = sampleIterations.clone();
    for (long g : gradientNanos) {
      if (g < 0) {
        throw new IllegalArgumentException("compute times must be >= 0");
      }
    }
    if (evalNanos < 0) {
      throw new IllegalArgumentException("evaluation time must be >= 0");
    }
    if (window < 0) {
      throw new IllegalArgumentException("window must be >= 0 (0: whole profile), got " + window);
    }
    if (sampleIterations.length != 0 && sampleIterations.length != gradientNanos.length) {
      throw new IllegalArgumentException(
          sampleIterations.length + " sample iterations for " + gradientNanos.length + " samples");
    }
    for (int i = 1; i < sampleIterations.length; i++) {
      if (sampleIterations[i] < sampleIterations[i - 1]) {
        throw new IllegalArgumentException("sample iterations must be ascending");
      }
    }
    if (window > 0 && sampleIterations.length == 0) {
      throw new IllegalArgumentException("a window needs the samples' iterations");
    }
  }

  /** Samples without a time course: every iteration draws from all of them. */
  public ComputeProfile(long[] gradientNanos, long evalNanos) {
    this(gradientNanos, new long[0], 0, evalNanos);
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
   * A real run's compute calibration.
   *
   * @param pooled every unslowed rank's samples together
   * @param byRank each unslowed rank's samples alone (ranks without consecutive iterations have
   *     none)
   * @param workers the real run's workers: its highest rank plus one, slowed ranks included
   */
  public record Calibration(
      ComputeProfile pooled, Map<Integer, ComputeProfile> byRank, int workers) {
    public Calibration {
      byRank = Map.copyOf(byRank);
    }
  }

  /**
   * Calibrates from a real run's {@code metrics.csv}: each sample is one iteration's period (wall
   * time since the worker's previous iteration) minus its exchange time, i.e. everything a worker
   * does besides waiting for the network and its peers (forward/backward under the real run's CPU
   * contention, batch assembly, metrics). Ranks in {@code skipRanks} (injected slowdowns) and each
   * worker's first iteration (start-up) are left out. With {@code window > 0} the profiles keep the
   * run's time course (see the class comment). Reads the file once.
   *
   * @throws IllegalArgumentException naming the file if it holds no usable iteration pairs
   */
  public static Calibration calibrate(Path metricsCsv, Set<Integer> skipRanks, int window)
      throws IOException {
    List<IterationRecord> records = MetricsCsv.read(metricsCsv);
    int workers = 0;
    Map<Integer, List<IterationRecord>> ranks = new TreeMap<>();
    for (IterationRecord r : records) {
      workers = Math.max(workers, r.rank() + 1);
      if (!skipRanks.contains(r.rank())) {
        ranks.computeIfAbsent(r.rank(), k -> new ArrayList<>()).add(r);
      }
    }
    List<long[]> all = new ArrayList<>();
    Map<Integer, ComputeProfile> byRank = new TreeMap<>();
    for (var e : ranks.entrySet()) {
      List<long[]> samples = samples(e.getValue());
      if (!samples.isEmpty()) {
        byRank.put(e.getKey(), of(samples, window));
        all.addAll(samples);
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(
          metricsCsv + " has no consecutive iterations of an unslowed worker to calibrate from");
    }
    return new Calibration(of(all, window), byRank, workers);
  }

  /** {@link #calibrate}'s pooled profile. */
  public static ComputeProfile fromMetrics(Path metricsCsv, Set<Integer> skipRanks, int window)
      throws IOException {
    return calibrate(metricsCsv, skipRanks, window).pooled();
  }

  /** One rank's samples {iteration, nanos}: each iteration's period less its exchange time. */
  private static List<long[]> samples(List<IterationRecord> rs) {
    rs.sort(Comparator.comparingLong(IterationRecord::iteration));
    List<long[]> samples = new ArrayList<>();
    for (int i = 1; i < rs.size(); i++) {
      if (rs.get(i).iteration() != rs.get(i - 1).iteration() + 1) {
        continue;
      }
      double period = rs.get(i).wallSeconds() - rs.get(i - 1).wallSeconds();
      long nanos = (long) (Math.max(0, period - rs.get(i).waitSeconds()) * 1e9);
      samples.add(new long[] {rs.get(i).iteration(), nanos});
    }
    return samples;
  }

  private static ComputeProfile of(List<long[]> samples, int window) {
    samples.sort(Comparator.comparingLong(s -> s[0]));
    long[] iterations = new long[samples.size()];
    long[] nanos = new long[samples.size()];
    for (int i = 0; i < iterations.length; i++) {
      iterations[i] = samples.get(i)[0];
      nanos[i] = samples.get(i)[1];
    }
    return new ComputeProfile(nanos, window > 0 ? iterations : new long[0], window, 0);
  }

  /** Iteration {@code iteration}'s compute time. */
  public Duration draw(long iteration, Random random) {
    if (gradientNanos.length == 1) {
      return Duration.ofNanos(gradientNanos[0]);
    }
    if (window == 0) {
      return Duration.ofNanos(gradientNanos[random.nextInt(gradientNanos.length)]);
    }
    long first = sampleIterations[0];
    long last = sampleIterations[sampleIterations.length - 1];
    long lo = Math.max(first, Math.min(iteration - window / 2, last + 1 - window));
    int a = Math.min(lowerBound(lo), sampleIterations.length - 1);
    int b = Math.max(a + 1, lowerBound(lo + window));
    return Duration.ofNanos(gradientNanos[a + random.nextInt(b - a)]);
  }

  /** The index of the first sample measured at or after {@code iteration}. */
  private int lowerBound(long iteration) {
    int lo = 0;
    int hi = sampleIterations.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sampleIterations[mid] < iteration) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  public double meanGradientMillis() {
    return Arrays.stream(gradientNanos).average().orElse(0) / 1e6;
  }
}
