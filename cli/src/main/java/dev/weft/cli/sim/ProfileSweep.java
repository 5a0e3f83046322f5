package dev.weft.cli.sim;

import dev.weft.engine.model.LoadedModel;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.ImmutableIntList;
import dev.weft.scheduler.Request;
import dev.weft.scheduler.SamplingParams;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.ServingConfig;
import dev.weft.simulator.calibration.StepSample;
import dev.weft.simulator.cost.ReplayCostModel.RecordedStep;
import dev.weft.simulator.workload.PromptTokens;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The profile sweep: drives the scheduler's serving loop on the live engine through step shapes —
 * decode batches at several context lengths, prompt chunks of several sizes at growing contexts,
 * and mixes of both — and keeps every executed step (shape, busy and trailing time) labelled with
 * its sweep point. Batches of one context share a prompt, so after the first request the prefix
 * cache supplies the others' prompts and the sweep spends its time on the shapes it measures.
 */
final class ProfileSweep {

  /**
   * @param batches decode batch sizes
   * @param contexts context lengths of the decode points
   * @param chunks prompt chunk sizes
   * @param prefillLength prompt length the chunk points compute
   * @param decodeSteps decode steps kept per decode point
   * @param maxTokensPerPoint skip decode points whose batch * context exceeds this
   */
  record Plan(
      int[] batches,
      int[] contexts,
      int[] chunks,
      int prefillLength,
      int decodeSteps,
      int maxTokensPerPoint) {

    static Plan standard(int context) {
      int c = Math.min(context - 64, 1024);
      return new Plan(
          new int[] {1, 4, 16, 48},
          new int[] {16, Math.min(128, c), c},
          new int[] {16, 64, 256},
          Math.min(512, c),
          6,
          16384);
    }

    static Plan quick(int context) {
      int c = Math.min(context - 32, 256);
      return new Plan(new int[] {1, 4}, new int[] {16, c}, new int[] {32, 128}, c, 3, 4096);
    }
  }

  private final LoadedModel model;
  private final int blockSize;
  private final PrintWriter log;
  private final List<StepSample> samples = new ArrayList<>();
  private long recordingNanos;
  private long recordedSteps;
  private long stepNanos;

  ProfileSweep(LoadedModel model, int blockSize, PrintWriter log) {
    this.model = model;
    this.blockSize = blockSize;
    this.log = log;
  }

  List<StepSample> run(Plan plan) {
    int context = model.config().maxSeqLen();
    int poolTokens = Math.max(plan.maxTokensPerPoint(), plan.prefillLength()) + 64 * blockSize;
    CacheConfig cache = CacheConfig.of(blockSize, (poolTokens + blockSize - 1) / blockSize);
    ServingConfig base = new ServingConfig(SchedulerConfig.of(64, 2048, context, 1024), cache);
    try (LiveEngine engine = new LiveEngine(model, base)) {
      // Warm-up (JIT, allocator): a small mixed run, not kept.
      decode(engine, base, "warm-up", 4, Math.min(64, context / 2), 4, false);
      for (int c : plan.contexts()) {
        for (int b : plan.batches()) {
          if ((long) b * c <= plan.maxTokensPerPoint()) {
            decode(engine, base, "decode b=" + b + " ctx=" + c, b, c, plan.decodeSteps(), true);
          }
        }
      }
      for (int chunk : plan.chunks()) {
        ServingConfig chunked = withBatchedTokens(base, chunk);
        prefill(engine, chunked, "prefill chunk=" + chunk, plan.prefillLength());
      }
      for (int b : new int[] {2, 8}) {
        for (int chunk : new int[] {64, 256}) {
          ServingConfig chunked = withBatchedTokens(base, chunk + b);
          mixed(engine, chunked, "mixed b=" + b + " chunk=" + chunk, b, plan);
        }
      }
    }
    return List.copyOf(samples);
  }

  /** Mean cost of keeping one step's shape and record, in nanoseconds (the profiler's overhead). */
  double recordingNanosPerStep() {
    return recordedSteps == 0 ? 0 : recordingNanos / (double) recordedSteps;
  }

  /** Mean measured step time (busy + trailing), in nanoseconds. */
  double meanStepNanos() {
    return recordedSteps == 0 ? 0 : stepNanos / (double) recordedSteps;
  }

  private static ServingConfig withBatchedTokens(ServingConfig base, int tokens) {
    SchedulerConfig s = base.scheduler();
    return new ServingConfig(
        SchedulerConfig.of(s.maxNumSeqs(), tokens, s.maxModelLen(), s.maxWaiting()), base.cache());
  }

  private int[] prompt(int length, int salt) {
    return PromptTokens.of(991 + salt, length, length, model.config().vocabSize());
  }

  private void decode(
      LiveEngine engine,
      ServingConfig config,
      String point,
      int batch,
      int context,
      int steps,
      boolean keep) {
    TimedLoop loop = new TimedLoop(config, engine.runner());
    int[] prompt = prompt(context, batch);
    submit(loop, "first", prompt, steps + 1);
    while (!firstDecoded(loop)) {
      loop.step();
    }
    for (int i = 1; i < batch; i++) {
      submit(loop, "r" + i, prompt, steps + 1);
    }
    drain(loop);
    if (keep) {
      keep(point, loop);
    }
  }

  private static boolean firstDecoded(TimedLoop loop) {
    return loop.records().stream().anyMatch(r -> r.numDecodeSequences() > 0);
  }

  private void prefill(LiveEngine engine, ServingConfig config, String point, int length) {
    TimedLoop loop = new TimedLoop(config, engine.runner());
    submit(loop, "p", prompt(length, 7), 1);
    drain(loop);
    keep(point, loop);
  }

  private void mixed(LiveEngine engine, ServingConfig config, String point, int batch, Plan plan) {
    TimedLoop loop = new TimedLoop(config, engine.runner());
    int context = Math.min(256, plan.prefillLength() / 2);
    int longPrompt = plan.prefillLength();
    for (int i = 0; i < batch; i++) {
      submit(loop, "d" + i, prompt(context, 100 + i), longPrompt / 32 + 8);
    }
    // Let the decoders start, then a long prompt arrives and is chunked beside them.
    while (!firstDecoded(loop)) {
      loop.step();
    }
    submit(loop, "p", prompt(longPrompt, 8), 1);
    drain(loop);
    keep(point, loop);
  }

  private static void submit(TimedLoop loop, String id, int[] prompt, int maxTokens) {
    loop.loop.submit(Request.of(id, ImmutableIntList.of(prompt), SamplingParams.greedy(maxTokens)));
  }

  private static void drain(TimedLoop loop) {
    while (loop.loop.hasWork()) {
      loop.step();
    }
  }

  private void keep(String point, TimedLoop loop) {
    List<RecordedStep> steps = loop.recorded();
    long t0 = System.nanoTime();
    for (RecordedStep s : steps) {
      samples.add(
          new StepSample(point, s.shape(), s.timing().busyNanos(), s.timing().trailingNanos()));
      stepNanos += s.timing().totalNanos();
    }
    recordedSteps += steps.size();
    recordingNanos += loop.recordingNanos() + (System.nanoTime() - t0);
    double mean = steps.stream().mapToLong(s -> s.timing().busyNanos()).average().orElse(0) / 1e6;
    log.printf("  %-28s %4d steps, mean busy %8.2f ms%n", point, steps.size(), mean);
    log.flush();
  }
}
