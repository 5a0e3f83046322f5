package dev.weft.trainer.worker;

import dev.weft.protos.v1.FinishRequest;
import dev.weft.protos.v1.HeartbeatReply;
import dev.weft.protos.v1.HeartbeatRequest;
import dev.weft.protos.v1.IterationMetrics;
import dev.weft.protos.v1.MetricsAck;
import dev.weft.protos.v1.RegisterReply;
import dev.weft.protos.v1.RegisterRequest;
import dev.weft.protos.v1.Role;
import dev.weft.protos.v1.TrainingControlGrpc;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.comm.TrainingException;
import dev.weft.trainer.metrics.IterationRecord;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A process's link to the coordinator: rendezvous, heartbeats (whose replies carry the stop
 * signal), best-effort metrics and the final report. Without a coordinator every call is a no-op
 * and the run's clock starts when this process does.
 */
final class ControlClient implements AutoCloseable {

  private final String runId;
  private final int rank;
  private final ManagedChannel channel;
  private ClientCallStreamObserver<IterationMetrics> metrics;

  ControlClient(String runId, int rank, String coordinator) {
    this.runId = runId;
    this.rank = rank;
    if (coordinator.isEmpty()) {
      channel = null;
      return;
    }
    int colon = coordinator.lastIndexOf(':');
    channel =
        NettyChannelBuilder.forAddress(
                coordinator.substring(0, colon), Integer.parseInt(coordinator.substring(colon + 1)))
            .usePlaintext()
            .build();
  }

  /** Waits until every process registered; returns the run's start time (epoch ms). */
  long register(boolean server, String address, Duration timeout) {
    if (channel == null) {
      return System.currentTimeMillis();
    }
    try {
      RegisterReply reply =
          TrainingControlGrpc.newBlockingStub(channel)
              .withWaitForReady()
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .register(
                  RegisterRequest.newBuilder()
                      .setRunId(runId)
                      .setRank(rank)
                      .setRole(server ? Role.ROLE_PARAMETER_SERVER : Role.ROLE_WORKER)
                      .setPeerAddress(address)
                      .build());
      return reply.getStartTimeMs();
    } catch (StatusRuntimeException e) {
      throw new PeerUnreachableException(
          "rank " + rank + ": rendezvous with the coordinator failed: " + e.getStatus(), e);
    }
  }

  /**
   * Returns the stop reason if the coordinator asks this process to stop, else null; adds the ranks
   * the coordinator reports dead to {@code dead}.
   */
  String heartbeat(long iteration, java.util.Set<Integer> dead) {
    if (channel == null) {
      return null;
    }
    try {
      HeartbeatReply r =
          TrainingControlGrpc.newBlockingStub(channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .heartbeat(
                  HeartbeatRequest.newBuilder()
                      .setRunId(runId)
                      .setRank(rank)
                      .setIteration(iteration)
                      .build());
      missedBeats = 0;
      dead.addAll(r.getDeadRanksList());
      return r.getStop() ? r.getStopReason() : null;
    } catch (StatusRuntimeException e) {
      // A slow reply on a loaded machine is a missed beat, not a lost coordinator: only many in a
      // row count. A coordinator that went away (launcher killed) means nobody is waiting for us.
      if (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED
          && ++missedBeats < MAX_MISSED_BEATS) {
        return null;
      }
      return "coordinator unreachable: " + e.getStatus().getCode();
    }
  }

  /** Consecutive heartbeats without a reply within their deadline (heartbeat thread only). */
  private int missedBeats;

  private static final int MAX_MISSED_BEATS = 12;

  /** Sends one iteration's metrics if the stream has room; metrics are never worth blocking. */
  synchronized void report(IterationRecord r) {
    if (channel == null) {
      return;
    }
    if (metrics == null) {
      metrics =
          (ClientCallStreamObserver<IterationMetrics>)
              TrainingControlGrpc.newStub(channel).reportMetrics(new Ignore());
    }
    if (metrics.isReady()) {
      metrics.onNext(
          IterationMetrics.newBuilder()
              .setRunId(runId)
              .setRank(r.rank())
              .setIteration(r.iteration())
              .setEpoch(r.epoch())
              .setWallSeconds(r.wallSeconds())
              .setLoss(r.loss())
              .setComputeSeconds(r.computeSeconds())
              .setWaitSeconds(r.waitSeconds())
              .setBytesSent(r.bytesSent())
              .build());
    }
  }

  void finish(boolean ok, String error, double accuracy, long iterations) {
    if (channel == null) {
      return;
    }
    try {
      TrainingControlGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .finish(
              FinishRequest.newBuilder()
                  .setRunId(runId)
                  .setRank(rank)
                  .setOk(ok)
                  .setError(error == null ? "" : error)
                  .setTestAccuracy(accuracy)
                  .setIterations(iterations)
                  .build());
    } catch (StatusRuntimeException e) {
      throw new TrainingException(
          "rank " + rank + " could not report its result: " + e.getStatus());
    }
  }

  @Override
  public synchronized void close() {
    if (channel == null) {
      return;
    }
    if (metrics != null) {
      try {
        metrics.onCompleted();
      } catch (RuntimeException e) {
        // best effort
      }
    }
    channel.shutdown();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Ignore implements StreamObserver<MetricsAck> {
    @Override
    public void onNext(MetricsAck v) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
