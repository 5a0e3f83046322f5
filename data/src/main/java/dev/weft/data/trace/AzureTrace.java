package dev.weft.data.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;

/**
 * The Azure LLM inference trace 2023 (Patel et al., Splitwise): CSV with the header {@code
 * TIMESTAMP,ContextTokens,GeneratedTokens}, timestamps such as {@code 2023-11-16 18:15:46.6805900}.
 * Arrival times are made relative to the first request; rows must be in time order. Any malformed
 * line is an error naming the file and line.
 */
public final class AzureTrace {

  public static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";

  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter();

  private AzureTrace() {}

  /** Reads every request of {@code file}. */
  public static List<TraceRequest> load(Path file) {
    return load(file, Integer.MAX_VALUE);
  }

  /** Reads the first {@code maxRequests} requests of {@code file}. */
  public static List<TraceRequest> load(Path file, int maxRequests) {
    if (maxRequests < 1) {
      throw new IllegalArgumentException("max requests is " + maxRequests + ", must be >= 1");
    }
    List<TraceRequest> requests = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null || !header.strip().replace("\uFEFF", "").equals(HEADER)) {
        throw new TraceFormatException(
            file, 1, "expected the header '" + HEADER + "', found '" + header + "'");
      }
      long first = Long.MIN_VALUE;
      long previous = Long.MIN_VALUE;
      long lineNumber = 1;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        if (f.length != 3) {
          throw new TraceFormatException(
              file, lineNumber, "expected 3 comma-separated fields, found " + f.length);
        }
        long at = parseTime(file, lineNumber, f[0].strip());
        if (first == Long.MIN_VALUE) {
          first = at;
        }
        if (at < previous) {
          throw new TraceFormatException(
              file, lineNumber, "timestamp " + f[0].strip() + " is earlier than the line before");
        }
        previous = at;
        int prompt = parseCount(file, lineNumber, "ContextTokens", f[1]);
        int output = parseCount(file, lineNumber, "GeneratedTokens", f[2]);
        requests.add(new TraceRequest(at - first, prompt, output));
        if (requests.size() >= maxRequests) {
          break;
        }
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("trace file not found: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file + ": " + e.getMessage(), e);
    }
    if (requests.isEmpty()) {
      throw new TraceFormatException(file, 0, "the trace has no requests");
    }
    return List.copyOf(requests);
  }

  private static long parseTime(Path file, long line, String text) {
    try {
      LocalDateTime t = LocalDateTime.parse(text, TIME);
      return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano();
    } catch (DateTimeParseException e) {
      throw new TraceFormatException(
          file, line, "TIMESTAMP '" + text + "' is not of the form 2023-11-16 18:15:46.6805900");
    }
  }

  private static int parseCount(Path file, long line, String column, String text) {
    try {
      int value = Integer.parseInt(text.strip());
      if (value < 1) {
        throw new TraceFormatException(
            file, line, column + " is " + value + ", must be a positive token count");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new TraceFormatException(
          file, line, column + " '" + text.strip() + "' is not a whole number");
    }
  }
}
