package dev.weft.data.mnist;

import java.io.IOException;
import java.nio.file.Path;

/** A data set file exists but is not what it claims to be (bad magic, truncated, wrong size). */
public final class DatasetFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final Path file;

  public DatasetFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public DatasetFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
