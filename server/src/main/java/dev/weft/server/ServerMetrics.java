package dev.weft.server;

import dev.weft.scheduler.RequestStats;
import dev.weft.scheduler.StepRecord;
import dev.weft.scheduler.kv.KvCacheStats;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The server's Prometheus metrics, named after vLLM's where one exists. Updated from the serving
 * loop's thread (per token, per step, per request end) and from gRPC threads (rejections before
 * admission); the Prometheus types are thread-safe.
 */
public final class ServerMetrics {

  private static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    20, 40, 80
  };
  private static final double[] STEP_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56
  };
  private static final double[] PHASE_BUCKETS = {
    0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32,
    0.64, 1.28, 2.56
  };
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram timeToFirstToken =
      histogram("weft_time_to_first_token_seconds", "Arrival to first token.", LATENCY_BUCKETS);
  private final Histogram interTokenLatency =
      histogram(
          "weft_inter_token_latency_seconds", "Time between a request's tokens.", LATENCY_BUCKETS);
  private final Histogram e2eLatency =
      histogram("weft_e2e_request_latency_seconds", "Arrival to end.", LATENCY_BUCKETS);
  private final Histogram queueTime =
      histogram(
          "weft_request_queue_time_seconds", "Arrival to first scheduled step.", LATENCY_BUCKETS);
  private final Histogram stepDuration =
      histogram(
          "weft_step_duration_seconds",
          "One serving-loop step: schedule, run, apply.",
          STEP_BUCKETS);
  private final Histogram batchSize =
      histogram("weft_batch_size", "Sequences computed in one step.", BATCH_BUCKETS);
  private final Gauge running =
      Gauge.builder()
          .name("weft_requests_running")
          .help("Requests in the running batch.")
          .register(registry);
  private final Gauge waiting =
      Gauge.builder()
          .name("weft_requests_waiting")
          .help("Requests in the waiting queue.")
          .register(registry);
  private final Gauge kvUsage =
      Gauge.builder()
          .name("weft_kv_cache_usage_ratio")
          .help("Fraction of the KV pool's blocks held by requests.")
          .register(registry);
  private final Counter promptTokens =
      counter("weft_prompt_tokens_total", "Prompt tokens of admitted requests.");
  private final Counter generationTokens =
      counter("weft_generation_tokens_total", "Tokens generated.");
  private final Counter preemptions =
      counter("weft_preemptions_total", "Requests preempted because the KV pool ran out.");
  private final Counter prefixHits =
      counter("weft_prefix_cache_hits_total", "Prompt tokens found in the prefix cache.");
  private final Counter prefixQueries =
      counter("weft_prefix_cache_queries_total", "Prompt tokens looked up in the prefix cache.");
  private final Counter rejections =
      Counter.builder()
          .name("weft_requests_rejected_total")
          .help("Requests refused, by reason.")
          .labelNames("reason")
          .register(registry);
  private final Counter ended =
      Counter.builder()
          .name("weft_requests_ended_total")
          .help("Requests ended after admission, by outcome.")
          .labelNames("outcome")
          .register(registry);
  private final Histogram stepPhase =
      Histogram.builder()
          .name("weft_step_phase_seconds")
          .help("One part of a serving-loop step: schedule, forward, sample, apply, stream.")
          .labelNames("phase")
          .classicOnly()
          .classicUpperBounds(PHASE_BUCKETS)
          .register(registry);
  // Resolved once: a label lookup per step would cost more than the observation.
  private final DistributionDataPoint schedulePhase = stepPhase.labelValues("schedule");
  private final DistributionDataPoint forwardPhase = stepPhase.labelValues("forward");
  private final DistributionDataPoint samplePhase = stepPhase.labelValues("sample");
  private final DistributionDataPoint applyPhase = stepPhase.labelValues("apply");
  private final DistributionDataPoint streamPhase = stepPhase.labelValues("stream");
  private final Counter stepTokens =
      Counter.builder()
          .name("weft_step_tokens_total")
          .help("Tokens computed by steps, by kind (prefill, decode).")
          .labelNames("kind")
          .register(registry);
  private final CounterDataPoint prefillStepTokens = stepTokens.labelValues("prefill");
  private final CounterDataPoint decodeStepTokens = stepTokens.labelValues("decode");
  private volatile java.util.function.BiConsumer<StepRecord, KvCacheStats> stepListener;
  private long lastPrefixHits;
  private long lastPrefixQueries;

  public PrometheusRegistry registry() {
    return registry;
  }

  void firstToken(double seconds) {
    timeToFirstToken.observe(seconds);
  }

  void interToken(double seconds) {
    interTokenLatency.observe(seconds);
  }

  void generatedToken() {
    generationTokens.inc();
  }

  void admitted(int prompt) {
    promptTokens.inc(prompt);
  }

  void preempted() {
    preemptions.inc();
  }

  /** {@code reason}: the scheduler's rejection reason, or "invalid_argument", "unavailable". */
  void rejected(String reason) {
    rejections.labelValues(reason).inc();
  }

  void requestEnded(RequestStats stats, String outcome) {
    ended.labelValues(outcome).inc();
    e2eLatency.observe((stats.endNanos() - stats.arrivalNanos()) / 1e9);
    if (stats.firstScheduledNanos() >= 0) {
      queueTime.observe((stats.firstScheduledNanos() - stats.arrivalNanos()) / 1e9);
    }
  }

  /**
   * Also hands every executed step's record and the KV cache after it to {@code listener}, on the
   * serving loop's thread (the profiler's and the benchmark's view of the server); keep it quick.
   */
  public void onStep(java.util.function.BiConsumer<StepRecord, KvCacheStats> listener) {
    stepListener = listener;
  }

  void step(ServerStep step, KvCacheStats kv) {
    StepRecord record = step.record();
    java.util.function.BiConsumer<StepRecord, KvCacheStats> listener = stepListener;
    if (listener != null) {
      listener.accept(record, kv);
    }
    stepDuration.observe((record.scheduleNanos() + record.runNanos() + record.applyNanos()) / 1e9);
    batchSize.observe(record.numSequences());
    schedulePhase.observe(record.scheduleNanos() / 1e9);
    forwardPhase.observe(step.forwardNanos() / 1e9);
    samplePhase.observe(step.sampleNanos() / 1e9);
    applyPhase.observe(record.applyNanos() / 1e9);
    streamPhase.observe(step.streamNanos() / 1e9);
    prefillStepTokens.inc(record.numPrefillTokens());
    decodeStepTokens.inc(record.numDecodeTokens());
  }

  /** The loop's state after a step (loop thread only). */
  void state(int numRunning, int numWaiting, KvCacheStats kv) {
    running.set(numRunning);
    waiting.set(numWaiting);
    kvUsage.set(kv.usage());
    prefixHits.inc(kv.prefixHitTokens() - lastPrefixHits);
    prefixQueries.inc(kv.prefixQueryTokens() - lastPrefixQueries);
    lastPrefixHits = kv.prefixHitTokens();
    lastPrefixQueries = kv.prefixQueryTokens();
  }

  private Histogram histogram(String name, String help, double[] buckets) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .classicOnly()
        .classicUpperBounds(buckets)
        .register(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }
}
