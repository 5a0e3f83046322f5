package dev.weft.data.graph;

import java.nio.file.Path;

/**
 * A graph file that cannot be read: the message names the file and, where one is at fault, the
 * 1-based line, so a person can open the file at that line. Extends IllegalArgumentException so the
 * CLI reports it as an input error rather than a bug.
 */
public final class GraphFormatException extends IllegalArgumentException {

  private final String source;
  private final long line;

  public GraphFormatException(String source, long line, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  public GraphFormatException(Path file, long line, String problem) {
    this(file.toString(), line, problem);
  }

  /** The file (or stream name) that was being read. */
  public String source() {
    return source;
  }

  /** The 1-based line at fault, or 0 when the problem is not tied to one line. */
  public long line() {
    return line;
  }
}
