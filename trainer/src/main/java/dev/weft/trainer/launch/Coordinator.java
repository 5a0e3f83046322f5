package dev.weft.trainer.launch;

import dev.weft.protos.v1.FinishReply;
import dev.weft.protos.v1.FinishRequest;
import dev.weft.protos.v1.HeartbeatReply;
import dev.weft.protos.v1.HeartbeatRequest;
import dev.weft.protos.v1.IterationMetrics;
import dev.weft.protos.v1.MetricsAck;
import dev.weft.protos.v1.RegisterReply;
import dev.weft.protos.v1.RegisterRequest;
import dev.weft.protos.v1.StopReply;
import dev.weft.protos.v1.StopRequest;
import dev.weft.protos.v1.TrainingControlGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The control service of one run: holds every Register call until all processes have arrived
 * (rendezvous), then answers them together with one agreed start time; carries the stop signal on
 * heartbeat replies; forwards metrics and results to the launcher.
 */
public final class Coordinator extends TrainingControlGrpc.TrainingControlImplBase {

  /** A process's final report. */
  public record Finish(int rank, boolean ok, String error, double testAccuracy, long iterations) {}

  private final String runId;
  private final int processes;
  private final Consumer<IterationMetrics> onMetrics;
  private final Map<Integer, String> addresses = new TreeMap<>();
  private final List<StreamObserver<RegisterReply>> waiting = new ArrayList<>();
  private final Map<Integer, Finish> finished = new ConcurrentHashMap<>();
  private final Map<Integer, Long> lastHeartbeatMs = new ConcurrentHashMap<>();
  private volatile String stopReason;
  private final java.util.Set<Integer> dead = new java.util.concurrent.ConcurrentSkipListSet<>();

  public Coordinator(String runId, int processes, Consumer<IterationMetrics> onMetrics) {
    this.runId = runId;
    this.processes = processes;
    this.onMetrics = onMetrics;
  }

  private boolean wrongRun(String id, StreamObserver<?> out) {
    if (runId.equals(id)) {
      return false;
    }
    out.onError(
        Status.FAILED_PRECONDITION
            .withDescription("this coordinator runs '" + runId + "', not '" + id + "'")
            .asRuntimeException());
    return true;
  }

  @Override
  public void register(RegisterRequest req, StreamObserver<RegisterReply> out) {
    if (wrongRun(req.getRunId(), out)) {
      return;
    }
    List<StreamObserver<RegisterReply>> release = null;
    RegisterReply reply = null;
    synchronized (this) {
      if (req.getRank() < 0 || req.getRank() >= processes || addresses.containsKey(req.getRank())) {
        out.onError(
            Status.INVALID_ARGUMENT
                .withDescription("rank " + req.getRank() + " is invalid or already registered")
                .asRuntimeException());
        return;
      }
      addresses.put(req.getRank(), req.getPeerAddress());
      waiting.add(out);
      if (addresses.size() == processes) {
        reply =
            RegisterReply.newBuilder()
                .setRunId(runId)
                .addAllPeerAddresses(addresses.values())
                .setStartTimeMs(System.currentTimeMillis())
                .build();
        release = new ArrayList<>(waiting);
        waiting.clear();
      }
    }
    if (release != null) {
      for (StreamObserver<RegisterReply> o : release) {
        o.onNext(reply);
        o.onCompleted();
      }
    }
  }

  /** Ranks that have not registered yet (for error messages). */
  public synchronized List<Integer> missing() {
    List<Integer> m = new ArrayList<>();
    for (int r = 0; r < processes; r++) {
      if (!addresses.containsKey(r)) {
        m.add(r);
      }
    }
    return m;
  }

  @Override
  public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatReply> out) {
    if (wrongRun(req.getRunId(), out)) {
      return;
    }
    lastHeartbeatMs.put(req.getRank(), System.currentTimeMillis());
    String reason = stopReason;
    out.onNext(
        HeartbeatReply.newBuilder()
            .setRunId(runId)
            .setStop(reason != null)
            .setStopReason(reason == null ? "" : reason)
            .addAllDeadRanks(dead)
            .build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<IterationMetrics> reportMetrics(StreamObserver<MetricsAck> out) {
    return new StreamObserver<>() {
      long received;

      @Override
      public void onNext(IterationMetrics m) {
        if (runId.equals(m.getRunId())) {
          received++;
          onMetrics.accept(m);
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onNext(MetricsAck.newBuilder().setRunId(runId).setReceived(received).build());
        out.onCompleted();
      }
    };
  }

  @Override
  public void finish(FinishRequest req, StreamObserver<FinishReply> out) {
    if (wrongRun(req.getRunId(), out)) {
      return;
    }
    finished.put(
        req.getRank(),
        new Finish(
            req.getRank(),
            req.getOk(),
            req.getError(),
            req.getTestAccuracy(),
            req.getIterations()));
    out.onNext(FinishReply.newBuilder().setRunId(runId).build());
    out.onCompleted();
  }

  @Override
  public void stop(StopRequest req, StreamObserver<StopReply> out) {
    if (wrongRun(req.getRunId(), out)) {
      return;
    }
    requestStop(req.getReason().isEmpty() ? "stop requested" : req.getReason());
    out.onNext(StopReply.newBuilder().setRunId(runId).build());
    out.onCompleted();
  }

  /** Tells every process, on its next heartbeat, that {@code rank} died; false if already known. */
  public boolean markDead(int rank) {
    return dead.add(rank);
  }

  /** Every process stops at its next heartbeat. */
  public void requestStop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  public Map<Integer, Finish> finished() {
    return Map.copyOf(finished);
  }

  /** Milliseconds since each rank's last heartbeat. */
  public Map<Integer, Long> heartbeatAges() {
    long now = System.currentTimeMillis();
    Map<Integer, Long> ages = new TreeMap<>();
    lastHeartbeatMs.forEach((r, t) -> ages.put(r, now - t));
    return ages;
  }
}
