package dev.weft.trainer.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Per-worker metrics files, and their merge into one run-wide CSV. */
public final class MetricsCsv implements AutoCloseable {

  private final BufferedWriter out;

  public MetricsCsv(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write(IterationRecord.CSV_HEADER);
    out.newLine();
  }

  public void append(IterationRecord r) {
    try {
      out.write(r.toCsv());
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** Reads the records of one CSV written by this class. */
  public static List<IterationRecord> read(Path file) throws IOException {
    List<IterationRecord> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("rank,")) {
        out.add(IterationRecord.parseCsv(line));
      }
    }
    return out;
  }

  /** Merges per-worker files into {@code target}, ordered by wall time. */
  public static List<IterationRecord> merge(List<Path> files, Path target) throws IOException {
    List<IterationRecord> all = new ArrayList<>();
    for (Path f : files) {
      if (Files.exists(f)) {
        all.addAll(read(f));
      }
    }
    all.sort(Comparator.comparingDouble(IterationRecord::wallSeconds));
    try (MetricsCsv csv = new MetricsCsv(target)) {
      for (IterationRecord r : all) {
        csv.append(r);
      }
    }
    return all;
  }
}
