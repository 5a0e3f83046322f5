package dev.weft.trainer.study;

import dev.weft.trainer.metrics.ParameterProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The test accuracy of a cluster over time: at each observation, the average of every worker's
 * parameters (the worker-average model; for All-Reduce and PS every worker holds the same or nearly
 * the same model, for decentralized algorithms it is their consensus) is evaluated on a fixed
 * held-out test subset. Once the target is reached only every {@link #THIN_AFTER_TARGET}th
 * observation is evaluated: the time to target is known by then, and the rest only draws the curve.
 */
public final class AccuracyCurve implements ParameterProbe {

  /** The worker-average model's accuracy {@code seconds} into training. */
  public record Point(double seconds, double accuracy) {}

  static final int THIN_AFTER_TARGET = 4;

  private final double periodSeconds;
  private final ToDoubleFunction<float[]> accuracy;
  private final double target;
  private final List<Point> points = new ArrayList<>();
  private int sinceTarget = -1;
  private long evaluationNanos;

  /**
   * @param accuracy the accuracy of a parameter vector on the held-out subset
   * @param target the accuracy whose first time matters
   */
  public AccuracyCurve(double periodSeconds, ToDoubleFunction<float[]> accuracy, double target) {
    if (!(periodSeconds > 0)) {
      throw new IllegalArgumentException("evaluation period must be positive: " + periodSeconds);
    }
    this.periodSeconds = periodSeconds;
    this.accuracy = accuracy;
    this.target = target;
  }

  @Override
  public double periodSeconds() {
    return periodSeconds;
  }

  @Override
  public void observe(double seconds, List<float[]> workerParameters) {
    if (sinceTarget >= 0 && ++sinceTarget % THIN_AFTER_TARGET != 0) {
      return;
    }
    long t0 = System.nanoTime();
    double a = accuracy.applyAsDouble(mean(workerParameters));
    evaluationNanos += System.nanoTime() - t0;
    points.add(new Point(seconds, a));
    if (sinceTarget < 0 && a >= target) {
      sinceTarget = 0;
    }
  }

  /** Real time spent evaluating so far, seconds. */
  public double evaluationSeconds() {
    return evaluationNanos / 1e9;
  }

  public List<Point> points() {
    return List.copyOf(points);
  }

  static float[] mean(List<float[]> params) {
    float[] m = new float[params.get(0).length];
    for (float[] p : params) {
      for (int i = 0; i < m.length; i++) {
        m[i] += p[i];
      }
    }
    float n = params.size();
    for (int i = 0; i < m.length; i++) {
      m[i] /= n;
    }
    return m;
  }

  /** The first time the accuracy reached {@code target}, NaN if it never did. */
  static double timeToTarget(List<Point> points, double target) {
    for (Point p : points) {
      if (p.accuracy() >= target) {
        return p.seconds();
      }
    }
    return Double.NaN;
  }

  static void write(List<Point> points, Path csv) throws IOException {
    StringBuilder b = new StringBuilder("seconds,accuracy\n");
    for (Point p : points) {
      b.append(String.format(Locale.ROOT, "%.4f,%.4f%n", p.seconds(), p.accuracy()));
    }
    Files.writeString(csv, b.toString(), StandardCharsets.UTF_8);
  }
}
