package dev.weft.trainer.worker;

import dev.weft.trainer.algo.AlgorithmKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Periodic model checkpoints of a run: {@code OUT/checkpoint/rank-R.bin} holds the parameters a
 * worker had after {@code iteration} iterations. Written to a temporary file and renamed, so a
 * worker that dies mid-write leaves its previous checkpoint intact.
 */
public final class Checkpoints {

  private static final int MAGIC = 0x57454654; // "WEFT"

  /** A worker's parameters after {@code iteration} iterations. */
  public record Checkpoint(long iteration, float[] parameters) {}

  private Checkpoints() {}

  public static Path dir(Path out) {
    return out.resolve("checkpoint");
  }

  private static Path file(Path out, int rank) {
    return dir(out).resolve("rank-" + rank + ".bin");
  }

  public static void write(Path out, int rank, long iteration, float[] params) {
    Path target = file(out, rank);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      try (DataOutputStream o =
          new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
        o.writeInt(MAGIC);
        o.writeLong(iteration);
        o.writeInt(params.length);
        for (float f : params) {
          o.writeFloat(f);
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target, e);
    }
  }

  /**
   * The checkpoint of {@code rank} in run directory {@code out}.
   *
   * @throws IllegalArgumentException naming the file if it is missing, corrupt or of another size
   */
  public static Checkpoint read(Path out, int rank, int expectedSize) {
    Path f = file(out, rank);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(
          "--resume " + out + ": no checkpoint " + f + " (was the run started with checkpoints?)");
    }
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException(f + " is not a weft checkpoint");
      }
      long iteration = in.readLong();
      int n = in.readInt();
      if (n != expectedSize) {
        throw new IllegalArgumentException(
            f + " holds " + n + " parameters but the model has " + expectedSize);
      }
      float[] p = new float[n];
      for (int i = 0; i < n; i++) {
        p[i] = in.readFloat();
      }
      return new Checkpoint(iteration, p);
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint " + f + " is unreadable: " + e.getMessage());
    }
  }

  /**
   * Where {@code config}'s worker starts when resuming: rank 0's checkpoint for the synchronous
   * algorithms (every replica is identical, and all must restart from the same iteration), its own
   * otherwise; null when not resuming.
   */
  public static Checkpoint resume(WorkerConfig config, int modelSize) {
    if (config.recovery().resumeFrom().isEmpty()) {
      return null;
    }
    AlgorithmKind kind = AlgorithmKind.parse(config.algo());
    int from = kind == AlgorithmKind.ALLREDUCE || kind == AlgorithmKind.PS ? 0 : config.rank();
    return read(Path.of(config.recovery().resumeFrom()), from, modelSize);
  }

  /** The iteration of rank 0's checkpoint in {@code out}, or -1 if there is none. */
  public static long latestIteration(Path out) {
    Path f = file(out, 0);
    if (!Files.isRegularFile(f)) {
      return -1;
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
      return in.readInt() == MAGIC ? in.readLong() : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
