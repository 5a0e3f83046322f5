package dev.weft.cli.sim;

import dev.weft.engine.model.LoadedModel;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.SamplingOptions;
import dev.weft.protos.v1.TokenIds;
import dev.weft.server.ServerStep;
import dev.weft.server.ServingOptions;
import dev.weft.server.StepLogOptions;
import dev.weft.server.WeftServer;
import dev.weft.simulator.calibration.StepSample;
import dev.weft.simulator.workload.PromptTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The profile sweep, run the way production steps run: a {@link WeftServer} on a loopback gRPC
 * port, requests streamed to it by a client in this process, and the samples read from the server's
 * own step records. It drives step shapes — decode batches at several context lengths, prompt
 * chunks of several sizes at growing contexts, batches of whole prompts, and mixes of decodes with
 * a chunked prompt — so every sample carries the server's real per-step costs (gRPC streaming, the
 * serving thread's command queue, the runner's isolation wrapper) beside the forward pass. Batches
 * of one context share a prompt, so after the first request the prefix cache supplies the others'
 * prompts and the sweep spends its time on the shapes it measures.
 */
final class ProfileSweep {

  /**
   * @param batches decode batch sizes
   * @param contexts context lengths of the decode points
   * @param chunks prompt chunk sizes
   * @param prefillLength prompt length the chunk points compute
   * @param decodeSteps decode steps per decode point
   * @param maxTokensPerPoint skip decode points whose batch * context exceeds this
   * @param loneLengths lengths of the prompts sent one at a time to an idle server
   * @param loneRepeats prompts sent per lone-prompt length
   */
  record Plan(
      int[] batches,
      int[] contexts,
      int[] chunks,
      int prefillLength,
      int decodeSteps,
      int maxTokensPerPoint,
      int[] loneLengths,
      int loneRepeats) {

    static Plan standard(int context) {
      int c = Math.min(context - 64, 1024);
      return new Plan(
          new int[] {1, 4, 16, 48},
          new int[] {16, Math.min(128, c), c},
          new int[] {16, 64, 256},
          Math.min(512, c),
          12,
          16384,
          new int[] {32, 128, Math.min(384, c)},
          8);
    }

    static Plan quick(int context) {
      int c = Math.min(context - 32, 256);
      return new Plan(
          new int[] {1, 4}, new int[] {16, c}, new int[] {32, 128}, c, 3, 4096, new int[] {c}, 2);
    }
  }

  /** Idle time before each lone prompt, longer than the engine's threads stay awake. */
  private static final long IDLE_BEFORE_LONE_PROMPT_MS = 20;

  private final LoadedModel model;
  private final ServingOptions base;
  private final PrintWriter log;
  private final List<StepSample> samples = new ArrayList<>();
  private int salt;
  private boolean keeping;
  private long stepNanos;
  private long steps;
  private long streamNanos;

  ProfileSweep(LoadedModel model, ServingOptions base, PrintWriter log) {
    this.model = model;
    this.base = base;
    this.log = log;
  }

  /**
   * Runs the sweep {@code passes + 1} times and keeps the last {@code passes}: the first pass warms
   * up (JIT compilation, the allocator, gRPC), which otherwise makes the first points' steps look
   * several times slower than the same shapes later.
   */
  List<StepSample> run(Plan plan, int passes) throws InterruptedException {
    for (int pass = 0; pass <= passes; pass++) {
      keeping = pass > 0;
      log.printf("pass %d of %d%s%n", pass, passes, keeping ? "" : " (warm-up, not kept)");
      runOnce(plan);
    }
    return List.copyOf(samples);
  }

  private void runOnce(Plan plan) throws InterruptedException {
    int maxSeqs = base.maxNumSeqs();
    try (Live live = new Live(base)) {
      // Warm-up (JIT, allocator, gRPC): a small mixed run, not kept.
      decode(live, "warm-up", 4, 64, 4, false);
      for (int c : plan.contexts()) {
        for (int b : plan.batches()) {
          if ((long) b * c <= plan.maxTokensPerPoint() && b <= maxSeqs) {
            decode(live, "decode b=" + b + " ctx=" + c, b, c, plan.decodeSteps(), true);
          }
        }
      }
      // Decode batches whose sequences have different contexts, as under a real load: each
      // context group is a separate attention call, which batches sharing one context never show.
      for (int b : plan.batches()) {
        if (b > 1 && b <= maxSeqs) {
          spreadDecode(live, "decode b=" + b + " spread", b, plan);
        }
      }
      // Whole prompts arriving one at a time at an idle server: the step a light load runs most
      // (a lone prefill after idle time), measured at several lengths.
      for (int length : plan.loneLengths()) {
        lonePrompts(live, "lone prompt len=" + length, length, plan.loneRepeats());
      }
      for (int[] nl : new int[][] {{8, 16}, {8, 64}, {32, 16}}) {
        if (nl[0] <= maxSeqs) {
          prompts(live, "prompts n=" + nl[0] + " len=" + nl[1], nl[0], nl[1]);
        }
      }
    }
    for (int chunk : plan.chunks()) {
      try (Live live = new Live(base.withLimits(maxSeqs, chunk, base.maxWaiting()))) {
        prefill(live, "prefill chunk=" + chunk, plan.prefillLength());
      }
    }
    for (int b : new int[] {2, 8}) {
      for (int chunk : new int[] {64, 256}) {
        try (Live live = new Live(base.withLimits(maxSeqs, chunk + b, base.maxWaiting()))) {
          mixed(live, "mixed b=" + b + " chunk=" + chunk, b, plan);
        }
      }
    }
  }

  /** Mean time the server spent handing a step's events to the streams (part of trailing). */
  double meanStreamNanos() {
    return steps == 0 ? 0 : streamNanos / (double) steps;
  }

  /** Mean measured step time (busy + trailing), in nanoseconds. */
  double meanStepNanos() {
    return steps == 0 ? 0 : stepNanos / (double) steps;
  }

  private int[] prompt(int length) {
    return PromptTokens.of(991, salt++, length, model.config().vocabSize());
  }

  private void decode(Live live, String point, int batch, int context, int steps, boolean keep)
      throws InterruptedException {
    long mark = live.server.steps().total();
    int[] prompt = prompt(context);
    Call first = live.send(prompt, steps + 1);
    first.firstToken.await();
    List<Call> calls = new ArrayList<>(List.of(first));
    for (int i = 1; i < batch; i++) {
      calls.add(live.send(prompt, steps + 1));
    }
    live.awaitAll(calls);
    if (keep) {
      keep(point, live, mark);
    }
  }

  /** {@code n} whole prompts arriving together: steps of several prefill sequences. */
  private void prompts(Live live, String point, int n, int length) throws InterruptedException {
    long mark = live.server.steps().total();
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(live.send(prompt(length), 2));
    }
    live.awaitAll(calls);
    keep(point, live, mark);
  }

  /**
   * {@code batch} requests with prompts of different lengths (16 up to twice the middle context
   * point, at most the plan's prefill length), sent together: their prompts are prefilled, then
   * they decode side by side.
   */
  private void spreadDecode(Live live, String point, int batch, Plan plan)
      throws InterruptedException {
    long mark = live.server.steps().total();
    // the prefill length is the longest prompt the plan leaves generation room for
    int longest =
        Math.min(
            2 * plan.contexts()[Math.min(1, plan.contexts().length - 1)], plan.prefillLength());
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      int length = 16 + (int) ((long) (longest - 16) * i / Math.max(1, batch - 1));
      calls.add(live.send(prompt(length), plan.decodeSteps() + 1));
    }
    live.awaitAll(calls);
    keep(point, live, mark);
  }

  /** {@code repeats} single prompts, each sent once the previous one has finished. */
  private void lonePrompts(Live live, String point, int length, int repeats)
      throws InterruptedException {
    long mark = live.server.steps().total();
    for (int i = 0; i < repeats; i++) {
      live.awaitAll(List.of(live.send(prompt(length), 1)));
      Thread.sleep(IDLE_BEFORE_LONE_PROMPT_MS);
    }
    keep(point, live, mark);
  }

  private void prefill(Live live, String point, int length) throws InterruptedException {
    long mark = live.server.steps().total();
    live.awaitAll(List.of(live.send(prompt(length), 1)));
    keep(point, live, mark);
  }

  private void mixed(Live live, String point, int batch, Plan plan) throws InterruptedException {
    long mark = live.server.steps().total();
    int context = Math.min(256, plan.prefillLength() / 2);
    int longPrompt = plan.prefillLength();
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      calls.add(live.send(prompt(context), longPrompt / 32 + 8));
    }
    // Let the decoders start, then a long prompt arrives and is chunked beside them.
    calls.get(0).firstToken.await();
    calls.add(live.send(prompt(longPrompt), 1));
    live.awaitAll(calls);
    keep(point, live, mark);
  }

  private void keep(String point, Live live, long mark) {
    if (!keeping) {
      return;
    }
    List<ServerStep> recorded = live.server.steps().since(mark);
    List<StepSample> kept = ServerSteps.samples(point, recorded);
    samples.addAll(kept);
    for (int i = 0; i < kept.size(); i++) {
      stepNanos += kept.get(i).busyNanos() + kept.get(i).trailingNanos();
      streamNanos += recorded.get(i).streamNanos();
    }
    steps += kept.size();
    double mean = kept.stream().mapToLong(StepSample::busyNanos).average().orElse(0) / 1e6;
    log.printf("  %-28s %4d steps, mean busy %8.2f ms%n", point, kept.size(), mean);
    log.flush();
  }

  /** One streamed request: its first token and its end. */
  private static final class Call {
    final CountDownLatch firstToken = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    volatile String error;
  }

  /** A server for one serving configuration, and a channel to it. */
  private final class Live implements AutoCloseable {
    final WeftServer server;
    final ManagedChannel channel;
    final InferenceGrpc.InferenceStub stub;
    int ids;

    Live(ServingOptions options) throws InterruptedException {
      server =
          WeftServer.start(
              ServerBuilder.forPort(0),
              () -> model,
              options,
              StepLogOptions.defaults().withCapacity(1 << 16));
      try {
        server.awaitLoaded(Duration.ofMinutes(5));
      } catch (RuntimeException | InterruptedException e) {
        server.drainAndStop();
        throw e;
      }
      channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      stub = InferenceGrpc.newStub(channel);
    }

    Call send(int[] prompt, int maxTokens) {
      TokenIds.Builder ids = TokenIds.newBuilder();
      for (int id : prompt) {
        ids.addIds(id);
      }
      GenerateRequest request =
          GenerateRequest.newBuilder()
              .setRequestId("sweep-" + this.ids++)
              .setTokenIds(ids)
              .setSampling(SamplingOptions.newBuilder().setTemperature(0))
              .setMaxTokens(maxTokens)
              .setIgnoreEos(true)
              .build();
      Call call = new Call();
      stub.generate(
          request,
          new StreamObserver<GenerateResponse>() {
            @Override
            public void onNext(GenerateResponse response) {
              call.firstToken.countDown();
            }

            @Override
            public void onError(Throwable t) {
              call.error = String.valueOf(t.getMessage());
              call.firstToken.countDown();
              call.done.countDown();
            }

            @Override
            public void onCompleted() {
              call.firstToken.countDown();
              call.done.countDown();
            }
          });
      return call;
    }

    void awaitAll(List<Call> calls) throws InterruptedException {
      for (Call c : calls) {
        if (!c.done.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException("a profile request did not finish within 10 minutes");
        }
        if (c.error != null) {
          throw new IllegalStateException("a profile request failed: " + c.error);
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow();
      server.drainAndStop();
    }
  }
}
