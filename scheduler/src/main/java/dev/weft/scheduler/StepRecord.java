package dev.weft.scheduler;

import java.util.List;

/**
 * One executed step's shape and timings: the row the profiler writes and the simulator's cost model
 * is fitted to. All times are on the loop's clock (real for the server, virtual for the simulator).
 * The CSV form ({@link #CSV_HEADER}, {@link #toCsvRow()}, {@link #fromCsvRow}) is format version
 * {@value #FORMAT_VERSION}; a change of columns changes the version.
 *
 * @param step step index, from 0
 * @param startNanos when the step began
 * @param scheduleNanos time spent deciding the plan
 * @param runNanos time the runner took
 * @param applyNanos time spent applying the result
 * @param numSequences sequences computed
 * @param numPrefillSequences of those, computing a prompt chunk or a recomputation
 * @param numDecodeSequences of those, computing one generated token
 * @param numPrefillTokens tokens of the prefill sequences
 * @param numDecodeTokens tokens of the decode sequences (= their number)
 * @param prefillAttentionWork sum over prefill sequences of chunk length times context length
 *     (attention's query-key products grow with it)
 * @param decodeContextTokens sum of the decode sequences' context lengths (KV read by decode)
 * @param maxContextLength the longest context in the step
 * @param swapInBlocks host-to-device block copies
 * @param swapOutBlocks device-to-host block copies
 * @param modelledSwapNanos the swap cost model's charge for them
 * @param numPreempted requests preempted in this step
 * @param numRunning requests in the running batch after the step
 * @param numWaiting requests in the waiting queue after the step
 * @param usedBlocks device blocks held after the step
 * @param totalBlocks device pool size
 * @param runnerFailed whether the runner threw
 */
public record StepRecord(
    long step,
    long startNanos,
    long scheduleNanos,
    long runNanos,
    long applyNanos,
    int numSequences,
    int numPrefillSequences,
    int numDecodeSequences,
    int numPrefillTokens,
    int numDecodeTokens,
    long prefillAttentionWork,
    long decodeContextTokens,
    int maxContextLength,
    int swapInBlocks,
    int swapOutBlocks,
    long modelledSwapNanos,
    int numPreempted,
    int numRunning,
    int numWaiting,
    int usedBlocks,
    int totalBlocks,
    boolean runnerFailed) {

  public static final int FORMAT_VERSION = 1;

  public static final String CSV_HEADER =
      "step,start_ns,schedule_ns,run_ns,apply_ns,sequences,prefill_sequences,decode_sequences,"
          + "prefill_tokens,decode_tokens,prefill_attention_work,decode_context_tokens,"
          + "max_context,swap_in_blocks,swap_out_blocks,modelled_swap_ns,preempted,running,"
          + "waiting,used_blocks,total_blocks,runner_failed";

  private static final int COLUMNS = CSV_HEADER.split(",").length;

  /** The shape of {@code plan} with the given timings and the state after the step. */
  static StepRecord of(
      StepPlan plan,
      long startNanos,
      long scheduleNanos,
      long runNanos,
      long applyNanos,
      int numPreempted,
      int numRunning,
      int numWaiting,
      int usedBlocks,
      int totalBlocks,
      boolean runnerFailed) {
    int prefillSequences = 0;
    int decodeSequences = 0;
    int prefillTokens = 0;
    long prefillWork = 0;
    long decodeContext = 0;
    int maxContext = 0;
    for (ScheduledSequence sequence : plan.sequences()) {
      maxContext = Math.max(maxContext, sequence.contextLength());
      if (sequence.isDecode()) {
        decodeSequences++;
        decodeContext += sequence.contextLength();
      } else {
        prefillSequences++;
        prefillTokens += sequence.numTokens();
        prefillWork += (long) sequence.numTokens() * sequence.contextLength();
      }
    }
    return new StepRecord(
        plan.step(),
        startNanos,
        scheduleNanos,
        runNanos,
        applyNanos,
        plan.sequences().size(),
        prefillSequences,
        decodeSequences,
        prefillTokens,
        decodeSequences,
        prefillWork,
        decodeContext,
        maxContext,
        plan.swapIn().size(),
        plan.swapOut().size(),
        plan.modelledSwapNanos(),
        numPreempted,
        numRunning,
        numWaiting,
        usedBlocks,
        totalBlocks,
        runnerFailed);
  }

  public int numBatchedTokens() {
    return numPrefillTokens + numDecodeTokens;
  }

  public String toCsvRow() {
    return String.join(
        ",",
        List.of(
            Long.toString(step),
            Long.toString(startNanos),
            Long.toString(scheduleNanos),
            Long.toString(runNanos),
            Long.toString(applyNanos),
            Integer.toString(numSequences),
            Integer.toString(numPrefillSequences),
            Integer.toString(numDecodeSequences),
            Integer.toString(numPrefillTokens),
            Integer.toString(numDecodeTokens),
            Long.toString(prefillAttentionWork),
            Long.toString(decodeContextTokens),
            Integer.toString(maxContextLength),
            Integer.toString(swapInBlocks),
            Integer.toString(swapOutBlocks),
            Long.toString(modelledSwapNanos),
            Integer.toString(numPreempted),
            Integer.toString(numRunning),
            Integer.toString(numWaiting),
            Integer.toString(usedBlocks),
            Integer.toString(totalBlocks),
            Boolean.toString(runnerFailed)));
  }

  /** Parses a row written by {@link #toCsvRow()} under {@link #CSV_HEADER}. */
  public static StepRecord fromCsvRow(String row) {
    String[] f = row.strip().split(",", -1);
    if (f.length != COLUMNS) {
      throw new IllegalArgumentException(
          "step record has "
              + f.length
              + " columns, format "
              + FORMAT_VERSION
              + " has "
              + COLUMNS
              + ": "
              + row);
    }
    try {
      return new StepRecord(
          Long.parseLong(f[0]),
          Long.parseLong(f[1]),
          Long.parseLong(f[2]),
          Long.parseLong(f[3]),
          Long.parseLong(f[4]),
          Integer.parseInt(f[5]),
          Integer.parseInt(f[6]),
          Integer.parseInt(f[7]),
          Integer.parseInt(f[8]),
          Integer.parseInt(f[9]),
          Long.parseLong(f[10]),
          Long.parseLong(f[11]),
          Integer.parseInt(f[12]),
          Integer.parseInt(f[13]),
          Integer.parseInt(f[14]),
          Long.parseLong(f[15]),
          Integer.parseInt(f[16]),
          Integer.parseInt(f[17]),
          Integer.parseInt(f[18]),
          Integer.parseInt(f[19]),
          Integer.parseInt(f[20]),
          parseBoolean(f[21]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("step record has a malformed number: " + row, e);
    }
  }

  private static boolean parseBoolean(String text) {
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException("runner_failed must be true or false, got " + text);
    }
    return Boolean.parseBoolean(text);
  }
}
