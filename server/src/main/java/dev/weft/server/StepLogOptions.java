package dev.weft.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the server keeps of its steps.
 *
 * @param capacity the most recent steps held in memory (a ring; 0 keeps none)
 * @param file where every step is appended as a CSV row, if anywhere
 */
public record StepLogOptions(int capacity, Optional<Path> file) {

  /** The in-memory ring's default size: a few minutes of steps at tens of steps per second. */
  public static final int DEFAULT_CAPACITY = 4096;

  public StepLogOptions {
    if (capacity < 0) {
      throw new IllegalArgumentException("step record capacity is " + capacity + ", must be >= 0");
    }
    if (file == null) {
      throw new IllegalArgumentException("step log file must be given or empty");
    }
  }

  /** The default ring, no file. */
  public static StepLogOptions defaults() {
    return new StepLogOptions(DEFAULT_CAPACITY, Optional.empty());
  }

  /** Nothing kept (the overhead benchmark's baseline). */
  public static StepLogOptions off() {
    return new StepLogOptions(0, Optional.empty());
  }

  public StepLogOptions withFile(Path path) {
    return new StepLogOptions(capacity, Optional.of(path));
  }

  public StepLogOptions withCapacity(int records) {
    return new StepLogOptions(records, file);
  }
}
