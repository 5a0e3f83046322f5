package dev.weft.trainer.lm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The held-out loss over a language-model run, one row per evaluation ({@code held-out.csv}: the
 * first row before any training, the last of the final model). Worker 0 writes it; the launcher
 * reads it back for its report.
 */
public final class HeldOutCsv {

  public static final String FILE = "held-out.csv";
  static final String HEADER = "iteration,wall_seconds,held_out_loss";

  /** One evaluation: after {@code iteration} iterations, {@code wallSeconds} into the run. */
  public record Row(long iteration, double wallSeconds, double loss) {}

  private HeldOutCsv() {}

  /** Appends a row, writing the header first into a new file. */
  public static void append(Path file, Row row) {
    try {
      if (!Files.exists(file)) {
        Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
      }
      Files.writeString(file, line(row), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write held-out losses", e);
    }
  }

  /**
   * Drops the rows of {@code iteration} and later, keeping the file's other lines as they are; a
   * missing file stays missing. A run starting at {@code iteration} calls it before its first
   * evaluation.
   */
  public static void keepBefore(Path file, long iteration) {
    try {
      if (!Files.exists(file)) {
        return;
      }
      List<Row> rows = read(file);
      StringBuilder kept = new StringBuilder(HEADER).append('\n');
      rows.stream().filter(r -> r.iteration() < iteration).forEach(r -> kept.append(line(r)));
      if (rows.stream().anyMatch(r -> r.iteration() >= iteration)) {
        Files.writeString(file, kept, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot rewrite held-out losses", e);
    }
  }

  private static String line(Row row) {
    return String.format(
        Locale.ROOT, "%d,%.3f,%.6f%n", row.iteration(), row.wallSeconds(), row.loss());
  }

  public static List<Row> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IOException(file + ": not a held-out loss file (header '" + HEADER + "')");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      if (f.length != 3) {
        throw new IOException(file + ":" + (i + 1) + ": expected 3 fields, got " + f.length);
      }
      rows.add(new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])));
    }
    return rows;
  }
}
