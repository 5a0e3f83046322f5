package dev.weft.trainer.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Worker 0's test accuracy against training time ({@code accuracy.csv}, written with {@code
 * --accuracy-every}): the data behind "time to X% accuracy". Seconds are those of the run's metrics
 * (wall seconds since training started; virtual seconds in a simulation).
 */
public final class AccuracyCurve {

  public static final String FILE = "accuracy.csv";
  private static final String HEADER = "iteration,wall_seconds,test_accuracy";

  /** Worker 0's model after {@code iteration} iterations, at {@code seconds}. */
  public record Point(long iteration, double seconds, double accuracy) {}

  private AccuracyCurve() {}

  public static void write(Path file, List<Point> points) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Point p : points) {
      sb.append(
          String.format(Locale.ROOT, "%d,%.6f,%.4f%n", p.iteration(), p.seconds(), p.accuracy()));
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalArgumentException naming the file and line when a row is not a curve point
   */
  public static List<Point> read(Path file) throws IOException {
    List<Point> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      try {
        out.add(
            new Point(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected " + HEADER + ", got '" + lines.get(i) + "'");
      }
    }
    return out;
  }

  /** The first time the accuracy reached {@code target}; empty if it never did. */
  public static OptionalDouble timeTo(List<Point> points, double target) {
    return points.stream()
        .filter(p -> p.accuracy() >= target)
        .mapToDouble(Point::seconds)
        .findFirst();
  }
}
