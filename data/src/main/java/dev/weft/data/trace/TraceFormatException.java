package dev.weft.data.trace;

import java.nio.file.Path;

/**
 * A trace file that cannot be read; the message names the file and the 1-based line at fault.
 * Extends IllegalArgumentException so the CLI reports it as an input error.
 */
public final class TraceFormatException extends IllegalArgumentException {

  private final long line;

  public TraceFormatException(Path file, long line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.line = line;
  }

  /** The 1-based line at fault, or 0 when no single line is. */
  public long line() {
    return line;
  }
}
