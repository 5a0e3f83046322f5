package dev.weft.server;

import dev.weft.scheduler.AttentionGroups;
import dev.weft.scheduler.ScheduledSequence;
import dev.weft.scheduler.StepPlan;
import dev.weft.scheduler.StepRecord;

/**
 * One executed step as the server saw it: the serving loop's {@link StepRecord} (shape, schedule /
 * run / apply times, queue and KV state) plus what only the server knows: the run split into the
 * forward pass and sampling, the time spent handing the step's events to the clients' streams, the
 * context tokens attended and the KV blocks the step read or wrote. The CSV form ({@link
 * #CSV_HEADER}) is the step record's columns followed by these, format version {@value
 * #FORMAT_VERSION}.
 *
 * @param record the loop's record of the step
 * @param sampleNanos of the record's run time, the part spent sampling (the rest is the forward)
 * @param streamNanos after the loop's step: dispatching tokens and ends to the streams, metrics
 * @param contextTokens sum over the step's sequences of their context length (attended tokens)
 * @param blocksTouched KV blocks in the sequences' block tables plus blocks swapped or copied
 * @param attentionGroups attention calls per layer ({@link AttentionGroups})
 */
public record ServerStep(
    StepRecord record,
    long sampleNanos,
    long streamNanos,
    long contextTokens,
    int blocksTouched,
    int attentionGroups) {

  public static final int FORMAT_VERSION = 1;

  public static final String CSV_HEADER =
      StepRecord.CSV_HEADER
          + ",forward_ns,sample_ns,stream_ns,context_tokens,blocks_touched,"
          + "attention_groups";

  public ServerStep {
    if (sampleNanos < 0
        || streamNanos < 0
        || contextTokens < 0
        || blocksTouched < 0
        || attentionGroups < 0) {
      throw new IllegalArgumentException("server step times and counts must be >= 0");
    }
  }

  /** The step of {@code plan} with its record and the server's own timings. */
  static ServerStep of(StepPlan plan, StepRecord record, long sampleNanos, long streamNanos) {
    long context = 0;
    int blocks = plan.swapIn().size() + plan.swapOut().size() + plan.copies().size();
    for (ScheduledSequence s : plan.sequences()) {
      context += s.contextLength();
      blocks += s.blockTable().size();
    }
    return new ServerStep(
        record,
        Math.min(sampleNanos, record.runNanos()),
        streamNanos,
        context,
        blocks,
        AttentionGroups.count(plan));
  }

  /** The forward pass: the run time less sampling. */
  public long forwardNanos() {
    return record.runNanos() - sampleNanos;
  }

  public String toCsvRow() {
    return record.toCsvRow()
        + ","
        + forwardNanos()
        + ","
        + sampleNanos
        + ","
        + streamNanos
        + ","
        + contextTokens
        + ","
        + blocksTouched
        + ","
        + attentionGroups;
  }

  /** Parses a row written by {@link #toCsvRow()} under {@link #CSV_HEADER}. */
  public static ServerStep fromCsvRow(String row) {
    String stripped = row.strip();
    int cut = stripped.length();
    for (int i = 0; i < 6; i++) {
      cut = stripped.lastIndexOf(',', cut - 1);
      if (cut < 0) {
        throw new IllegalArgumentException(
            "server step row has too few columns for format " + FORMAT_VERSION + ": " + row);
      }
    }
    StepRecord record = StepRecord.fromCsvRow(stripped.substring(0, cut));
    String[] f = stripped.substring(cut + 1).split(",", -1);
    try {
      return new ServerStep(
          record,
          Long.parseLong(f[1]),
          Long.parseLong(f[2]),
          Long.parseLong(f[3]),
          Integer.parseInt(f[4]),
          Integer.parseInt(f[5]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("server step row has a malformed number: " + row, e);
    }
  }
}
