package dev.weft.server;

import dev.weft.engine.model.LoadedModel;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.ModelInfo;
import dev.weft.protos.v1.ServerStatus;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.Runner;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.kv.KvCacheStats;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's gRPC server: the inference service, {@code grpc.health.v1} and server reflection. The port
 * opens at once and the model loads in the background; until it is loaded, health answers
 * NOT_SERVING and Generate answers UNAVAILABLE. {@link #drainAndStop()} (also run on SIGTERM when
 * {@link #stopOnShutdownSignal()} was called) stops taking requests, lets running ones finish for
 * the drain timeout, cancels the rest, and frees the model.
 */
public final class WeftServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WeftServer.class);
  static final String SERVICE = InferenceGrpc.SERVICE_NAME;

  /** The parts that exist once the model is loaded. */
  record Serving(ServingEngine engine, EngineLoop loop, RequestParser parser) {}

  private final ServingOptions options;
  private final ServerMetrics metrics = new ServerMetrics();
  private final StepLog stepLog;
  private final HealthStatusManager health = new HealthStatusManager();
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final Server server;
  private volatile Serving serving;
  private volatile RuntimeException loadFailure;
  private volatile boolean draining;
  private boolean stopped;

  private WeftServer(ServerBuilder<?> builder, ServingOptions options, StepLog stepLog) {
    this.options = options;
    this.stepLog = stepLog;
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
    this.server =
        builder
            .addService(new InferenceService(this))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            .build();
  }

  /**
   * Opens the port and starts loading the model on a background thread.
   *
   * @param builder where to listen (a Netty port, or in-process for tests)
   * @param model reads the model's files (run on the loading thread)
   */
  public static WeftServer start(
      ServerBuilder<?> builder, Supplier<LoadedModel> model, ServingOptions options) {
    return start(builder, model, options, StepLogOptions.defaults());
  }

  /** As {@link #start(ServerBuilder, Supplier, ServingOptions)}, keeping steps as {@code steps}. */
  public static WeftServer start(
      ServerBuilder<?> builder,
      Supplier<LoadedModel> model,
      ServingOptions options,
      StepLogOptions steps) {
    return start(builder, model, options, steps, UnaryOperator.identity());
  }

  static WeftServer start(
      ServerBuilder<?> builder,
      Supplier<LoadedModel> model,
      ServingOptions options,
      UnaryOperator<Runner> decorateRunner) {
    return start(builder, model, options, StepLogOptions.defaults(), decorateRunner);
  }

  static WeftServer start(
      ServerBuilder<?> builder,
      Supplier<LoadedModel> model,
      ServingOptions options,
      StepLogOptions steps,
      UnaryOperator<Runner> decorateRunner) {
    StepLog stepLog = new StepLog(steps);
    WeftServer weft = new WeftServer(builder, options, stepLog);
    try {
      weft.server.start();
    } catch (IOException e) {
      stepLog.close();
      throw new UncheckedIOException("cannot listen: " + e.getMessage(), e);
    }
    Thread loader = new Thread(() -> weft.load(model, decorateRunner), "weft-model-loader");
    loader.setDaemon(true);
    loader.start();
    return weft;
  }

  private void load(Supplier<LoadedModel> model, UnaryOperator<Runner> decorateRunner) {
    try {
      LoadedModel loadedModel = model.get();
      ServingEngine engine = ServingEngine.start(loadedModel, options, decorateRunner);
      EngineLoop loop = new EngineLoop(engine, System::nanoTime, metrics, stepLog);
      loop.start();
      serving =
          new Serving(engine, loop, new RequestParser(loadedModel, options.defaultMaxTokens()));
      if (!draining) {
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(SERVICE, ServingStatus.SERVING);
      }
      LOG.info("serving {} ({} KV blocks)", loadedModel.name(), engine.config.cache().numBlocks());
    } catch (RuntimeException e) {
      loadFailure = e;
      LOG.error("model failed to load: {}", e.getMessage());
    } finally {
      loaded.countDown();
    }
  }

  /** Waits for the model; rethrows its loading error. */
  public void awaitLoaded(Duration timeout) throws InterruptedException {
    if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the model did not load within " + timeout);
    }
    if (loadFailure != null) {
      throw loadFailure;
    }
  }

  public int port() {
    return server.getPort();
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  /** The steps the serving loop ran: the recent ones in memory, and the file if one was given. */
  public StepLog steps() {
    return stepLog;
  }

  Serving servingOrThrow() {
    return servingOrThrow(false);
  }

  /** The loaded parts; UNAVAILABLE while loading, or while draining unless {@code evenDraining}. */
  Serving servingOrThrow(boolean evenDraining) {
    if (draining && !evenDraining) {
      throw new ServerUnavailableException(
          "the server is draining for shutdown and takes no new requests; retry on another"
              + " replica");
    }
    Serving current = serving;
    if (current == null) {
      throw new ServerUnavailableException(
          loadFailure != null
              ? "the model failed to load: " + loadFailure.getMessage()
              : "the model is still loading; retry shortly (health reports SERVING when ready)");
    }
    return current;
  }

  ModelInfo modelInfo() {
    Serving s = servingOrThrow(true);
    SchedulerConfig scheduler = s.engine().config.scheduler();
    CacheConfig cache = s.engine().config.cache();
    return ModelInfo.newBuilder()
        .setModel(s.engine().model.name())
        .setContextWindow(scheduler.maxModelLen())
        .setVocabSize(s.engine().model.config().vocabSize())
        .setBlockSize(cache.blockSize())
        .setKvCapacityBlocks(cache.numBlocks())
        .setKvCapacityTokens((long) cache.numBlocks() * cache.blockSize())
        .setMaxNumSeqs(scheduler.maxNumSeqs())
        .setMaxBatchedTokens(scheduler.maxBatchedTokens())
        .setMaxWaiting(scheduler.maxWaiting())
        .setScheduler(scheduler.mode().name().toLowerCase(Locale.ROOT))
        .setPolicy(scheduler.policy().name().toLowerCase(Locale.ROOT))
        .addAllEosTokenIds(s.engine().model.stopTokens())
        .build();
  }

  ServerStatus status() {
    ServerStatus.Builder status = ServerStatus.newBuilder().setDraining(draining);
    Serving s = serving;
    if (s == null) {
      return status.setLoading(loadFailure == null).build();
    }
    EngineLoop.Snapshot snapshot = s.loop().snapshot();
    KvCacheStats kv = snapshot.kv();
    return status
        .setRunning(snapshot.running())
        .setWaiting(snapshot.waiting())
        .setKvCacheUsage(kv.usage())
        .setKvUsedBlocks(kv.usedBlocks())
        .setKvTotalBlocks(kv.totalBlocks())
        .build();
  }

  /** Free and cached KV blocks: for tests that check nothing leaked. */
  KvCacheStats kvStats() {
    return servingOrThrow(true).loop().snapshot().kv();
  }

  /** Drains for the configured timeout, cancels what is left, stops. Idempotent. */
  public synchronized void drainAndStop() throws InterruptedException {
    if (stopped) {
      return;
    }
    stopped = true;
    draining = true;
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
    loaded.await(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    Serving s = serving;
    if (s != null) {
      if (!s.loop().awaitIdle(options.drainTimeout())) {
        LOG.warn(
            "drain timeout {} passed with {} requests live; ending them with UNAVAILABLE",
            options.drainTimeout(),
            s.loop().liveRequests());
      }
      s.loop().stop();
    }
    health.enterTerminalState();
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
    if (s != null) {
      s.engine().close();
    }
    stepLog.close();
  }

  /** Runs {@link #drainAndStop()} when the JVM is asked to stop (SIGTERM, Ctrl-C). */
  public void stopOnShutdownSignal() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    LOG.info("shutting down: draining requests");
                    drainAndStop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "weft-drain"));
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    drainAndStop();
  }
}
