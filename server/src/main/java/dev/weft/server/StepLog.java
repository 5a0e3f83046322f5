package dev.weft.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's step profiler, cheap enough to stay on in production: the last {@code capacity}
 * steps in a ring (one reference store per step; readers copy under the lock) and, optionally,
 * every step appended to a CSV file through a buffer flushed at most once a second, so the serving
 * loop never waits on the disk per step. Written by the serving loop's thread; read by any.
 */
public final class StepLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StepLog.class);
  private static final long FLUSH_EVERY_NANOS = 1_000_000_000L;

  private final ServerStep[] ring;
  private final BufferedWriter file;
  private final Path path;
  private long total;
  private long lastFlush = System.nanoTime();
  private boolean fileFailed;

  /** Opens the log; a file that cannot be created fails here, before serving starts. */
  public StepLog(StepLogOptions options) {
    this.ring = new ServerStep[options.capacity()];
    this.path = options.file().orElse(null);
    if (path == null) {
      this.file = null;
      return;
    }
    try {
      boolean fresh = !Files.exists(path) || Files.size(path) == 0;
      this.file =
          Files.newBufferedWriter(
              path,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
      if (fresh) {
        file.write(ServerStep.CSV_HEADER);
        file.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the step log " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps {@code step}; a failing file is reported once and then skipped, never failing serving.
   */
  public synchronized void add(ServerStep step) {
    if (ring.length > 0) {
      ring[(int) (total % ring.length)] = step;
    }
    total++;
    if (file != null && !fileFailed) {
      try {
        file.write(step.toCsvRow());
        file.newLine();
        long now = System.nanoTime();
        if (now - lastFlush >= FLUSH_EVERY_NANOS) {
          file.flush();
          lastFlush = now;
        }
      } catch (IOException e) {
        fileFailed = true;
        LOG.error("step log {} failed, no more steps are written to it: {}", path, e.getMessage());
      }
    }
  }

  /** Steps recorded since the server started (also those the ring no longer holds). */
  public synchronized long total() {
    return total;
  }

  /** The steps still in the ring, oldest first. */
  public List<ServerStep> recent() {
    return since(0);
  }

  /**
   * The steps numbered {@code first} (counting from 0 at server start) onward that the ring still
   * holds, oldest first: a reader that remembers {@link #total()} gets exactly the steps after it,
   * unless more than the ring's capacity ran in between.
   */
  public synchronized List<ServerStep> since(long first) {
    long from = Math.max(Math.max(0, first), total - ring.length);
    List<ServerStep> out = new ArrayList<>((int) Math.max(0, total - from));
    for (long i = from; i < total; i++) {
      out.add(ring[(int) (i % ring.length)]);
    }
    return out;
  }

  /** Writes what the buffer holds to the file. */
  public synchronized void flush() {
    if (file != null && !fileFailed) {
      try {
        file.flush();
      } catch (IOException e) {
        fileFailed = true;
        LOG.error("step log {} failed: {}", path, e.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() {
    flush();
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        LOG.warn("closing the step log {}: {}", path, e.getMessage());
      }
    }
  }
}
