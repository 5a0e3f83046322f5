package dev.weft.server;

import dev.weft.scheduler.Admission;
import dev.weft.scheduler.Clock;
import dev.weft.scheduler.ServingEvent;
import dev.weft.scheduler.ServingLoop;
import dev.weft.scheduler.StepRecord;
import dev.weft.scheduler.StepResult;
import dev.weft.scheduler.kv.KvCacheStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's serving loop on its own thread. The loop is single-threaded by design, so gRPC
 * threads never touch it: they queue commands (submit, abort) that this thread runs between steps.
 * Between steps it also hands each step's events to the requests' streams. When idle it sleeps on
 * the command queue.
 */
final class EngineLoop {

  private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);

  /** What the loop looked like after its last step; read by status calls and metrics. */
  record Snapshot(int running, int waiting, KvCacheStats kv, long steps) {}

  private final ServingLoop loop;
  private final ServingEngine engine;
  private final Clock clock;
  private final ServerMetrics metrics;
  private final StepLog stepLog;
  private final LinkedBlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
  private final Map<String, GenerationStream> streams = new HashMap<>();
  private final AtomicInteger live = new AtomicInteger();
  private final Thread thread;
  private volatile Snapshot snapshot;
  private volatile boolean stopped;

  EngineLoop(ServingEngine engine, Clock clock, ServerMetrics metrics, StepLog stepLog) {
    this.loop = new ServingLoop(engine.config, clock, engine.runner);
    this.engine = engine;
    this.clock = clock;
    this.metrics = metrics;
    this.stepLog = stepLog;
    this.snapshot = new Snapshot(0, 0, loop.kvStats(), 0);
    this.thread = new Thread(this::run, "weft-serving-loop");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The loop clock's current time (deadlines are absolute on it). */
  long now() {
    return clock.nanoTime();
  }

  /** Queues {@code stream}'s request; a refusal ends the stream with its status. */
  void submit(GenerationStream stream) {
    live.incrementAndGet();
    command(() -> admit(stream));
  }

  /**
   * Aborts a live request.
   *
   * @param who for the client's message ("an Abort call", "the client")
   * @return completes with whether the id named a live request
   */
  CompletableFuture<Boolean> abort(String requestId, String who) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    command(
        () -> {
          GenerationStream stream = streams.get(requestId);
          if (stream != null) {
            stream.abortRequestedBy(who);
          }
          done.complete(loop.abort(requestId));
        });
    return done;
  }

  Snapshot snapshot() {
    return snapshot;
  }

  /** Requests submitted and not yet ended. */
  int liveRequests() {
    return live.get();
  }

  /** Waits until no request is live; false if {@code timeout} passed first. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (live.get() > 0) {
      if (System.nanoTime() >= end) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Stops the thread; requests still live end with UNAVAILABLE. */
  void stop() throws InterruptedException {
    command(() -> stopped = true);
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }

  private void command(Runnable command) {
    commands.add(command);
  }

  private void run() {
    try {
      while (!stopped) {
        for (Runnable c = commands.poll(); c != null && !stopped; c = commands.poll()) {
          c.run();
        }
        if (stopped) {
          break;
        }
        boolean idle = !loop.hasWork() || step();
        if (idle) {
          Runnable c = commands.poll(loop.hasWork() ? 1 : 50, TimeUnit.MILLISECONDS);
          if (c != null) {
            c.run();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("serving loop failed; ending every live request", e);
    } finally {
      stopped = true;
      for (Runnable c = commands.poll(); c != null; c = commands.poll()) {
        c.run(); // late submissions end below; aborts complete their futures
      }
      for (GenerationStream stream : new ArrayList<>(streams.values())) {
        stream.onShutdown("the server stopped before request " + stream.id() + " finished");
        live.decrementAndGet();
      }
      streams.clear();
    }
  }

  private void admit(GenerationStream stream) {
    if (stopped) {
      stream.onShutdown("the server is shutting down");
      live.decrementAndGet();
      return;
    }
    Admission admission = loop.submit(stream.request);
    if (admission instanceof Admission.Rejected rejected) {
      metrics.rejected(rejected.reason().name().toLowerCase(java.util.Locale.ROOT));
      stream.sink.fail(
          ErrorStatus.of(new RequestRejectedException(rejected.reason(), rejected.message())));
      live.decrementAndGet();
      return;
    }
    stream.admittedAt(clock.nanoTime());
    metrics.admitted(stream.request.promptTokens().size());
    streams.put(stream.id(), stream);
  }

  /** One step; returns whether it was idle (nothing ran). */
  private boolean step() {
    StepResult result = loop.step();
    long streamStart = clock.nanoTime();
    List<String> toAbort = new ArrayList<>();
    for (ServingEvent event : result.events()) {
      dispatch(event, toAbort);
    }
    for (String id : toAbort) {
      loop.abort(id);
    }
    KvCacheStats kv = loop.kvStats();
    metrics.state(loop.numRunning(), loop.numWaiting(), kv);
    if (result.record().isPresent()) {
      StepRecord record = result.record().get();
      ServerStep step =
          ServerStep.of(
              result.plan().orElseThrow(),
              record,
              engine.lastSampleNanos(),
              clock.nanoTime() - streamStart);
      metrics.step(step, kv);
      stepLog.add(step);
    }
    Snapshot last = snapshot;
    snapshot =
        new Snapshot(
            loop.numRunning(), loop.numWaiting(), kv, last.steps() + (result.isIdle() ? 0 : 1));
    return result.isIdle();
  }

  private void dispatch(ServingEvent event, List<String> toAbort) {
    // Rejections were answered at submission; a duplicate id's Rejected names the live request.
    if (event instanceof ServingEvent.Rejected) {
      return;
    }
    if (event instanceof ServingEvent.Preempted) {
      metrics.preempted();
      return;
    }
    GenerationStream stream = streams.get(event.requestId());
    if (stream == null) {
      return;
    }
    if (event instanceof ServingEvent.TokenProduced token) {
      if (stream.onToken(token)) {
        toAbort.add(stream.id());
      }
      return;
    }
    if (event instanceof ServingEvent.Finished finished) {
      stream.onFinished(finished);
    } else if (event instanceof ServingEvent.Aborted aborted) {
      stream.onAborted(aborted);
    }
    streams.remove(stream.id());
    live.decrementAndGet();
  }
}
