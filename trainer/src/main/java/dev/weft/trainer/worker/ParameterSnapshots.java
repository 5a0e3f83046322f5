package dev.weft.trainer.worker;

import dev.weft.trainer.metrics.ParameterProbe;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The parameter history of a run: {@code OUT/snapshots/rank-R/NNNNNNNN.bin}, a copy of a worker's
 * parameters taken at the end of the first iteration after each multiple of the snapshot period,
 * and at its last iteration. Worker JVMs write it while training; afterwards {@link #replay} shows
 * a probe every worker's parameters at each multiple of the period, so that the accuracy of their
 * average can be followed over time without evaluating anything inside the timed run.
 */
public final class ParameterSnapshots {

  private static final int MAGIC = 0x57465348; // "WFSH"

  /** A worker's parameters after {@code iteration} iterations, {@code seconds} into training. */
  public record Snapshot(long iteration, double seconds, Path file) {}

  private ParameterSnapshots() {}

  public static Path dir(Path out) {
    return out.resolve("snapshots");
  }

  /** Writes one snapshot of {@code rank}. */
  public static void write(Path out, int rank, long iteration, double seconds, float[] params) {
    Path f =
        dir(out).resolve("rank-" + rank).resolve(String.format(Locale.ROOT, "%08d.bin", iteration));
    try {
      Files.createDirectories(f.getParent());
      try (DataOutputStream o =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16))) {
        o.writeInt(MAGIC);
        o.writeLong(iteration);
        o.writeDouble(seconds);
        o.writeInt(params.length);
        for (float v : params) {
          o.writeFloat(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write parameter snapshot " + f, e);
    }
  }

  /** The snapshots of {@code rank}, oldest first (headers only). */
  public static List<Snapshot> list(Path out, int rank) throws IOException {
    Path d = dir(out).resolve("rank-" + rank);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<Snapshot> s = new ArrayList<>();
    try (Stream<Path> files = Files.list(d)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".bin")).toList()) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
          if (in.readInt() != MAGIC) {
            throw new IOException(f + " is not a weft parameter snapshot");
          }
          s.add(new Snapshot(in.readLong(), in.readDouble(), f));
        }
      }
    }
    s.sort(Comparator.comparingDouble(Snapshot::seconds));
    return s;
  }

  /** The parameters stored in {@code s}. */
  public static float[] read(Snapshot s) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(s.file()), 1 << 16))) {
      in.readInt();
      in.readLong();
      in.readDouble();
      float[] p = new float[in.readInt()];
      for (int i = 0; i < p.length; i++) {
        p[i] = in.readFloat();
      }
      return p;
    }
  }

  /**
   * Shows {@code probe} the workers' parameters at every multiple of its period up to the last
   * snapshot: each worker's latest snapshot at or before that time (its last one once it has
   * finished). Times before every worker has a snapshot are skipped.
   */
  public static void replay(Path out, int workers, ParameterProbe probe) throws IOException {
    List<List<Snapshot>> byRank = new ArrayList<>();
    double first = 0;
    double last = 0;
    for (int r = 0; r < workers; r++) {
      List<Snapshot> s = list(out, r);
      if (s.isEmpty()) {
        throw new IOException("worker " + r + " left no parameter snapshots in " + dir(out));
      }
      byRank.add(s);
      first = Math.max(first, s.get(0).seconds());
      last = Math.max(last, s.get(s.size() - 1).seconds());
    }
    double period = probe.periodSeconds();
    int[] at = new int[workers];
    int[] loaded = new int[workers];
    Arrays.fill(loaded, -1);
    List<float[]> current = new ArrayList<>();
    for (int r = 0; r < workers; r++) {
      current.add(null);
    }
    for (long k = (long) Math.ceil(first / period); ; k++) {
      double t = Math.min(k * period, last);
      for (int r = 0; r < workers; r++) {
        List<Snapshot> s = byRank.get(r);
        while (at[r] + 1 < s.size() && s.get(at[r] + 1).seconds() <= t) {
          at[r]++;
        }
        if (loaded[r] != at[r]) {
          current.set(r, read(s.get(at[r])));
          loaded[r] = at[r];
        }
      }
      probe.observe(t, current);
      if (t >= last) {
        return;
      }
    }
  }

  /** Deletes the snapshots of a run (they are large and only needed for {@link #replay}). */
  public static void delete(Path out) throws IOException {
    Path d = dir(out);
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> files = Files.walk(d)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
