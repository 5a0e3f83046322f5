package dev.weft.trainer.grpc;

import dev.weft.protos.v1.ExchangeSummary;
import dev.weft.trainer.comm.PeerTimeoutException;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.comm.TrainingException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The long-lived {@code Exchange} stream to one peer. Sends are serialized (a message's chunks go
 * out back to back, which the receiver relies on) and each chunk waits for {@code isReady()}:
 * gRPC's flow control, surfaced through the onReady handler, is what bounds memory when the
 * receiver is slower than the sender.
 */
final class Outbound {

  private final String runId;
  private final int from;
  private final int to;
  private final PeerAddress address;
  private final Channel channel;
  private final CallOptions options;
  private final AtomicLong bytesSent;

  /** Serializes whole messages on the stream. */
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Guards only the wait for isReady(). Kept apart from {@link #lock} so that the onReady callback,
   * which runs on the transport's event loop, never waits for a sender that is busy queuing a long
   * message: that would stall the very thread that drains the queue.
   */
  private final ReentrantLock readyLock = new ReentrantLock();

  private final Condition ready = readyLock.newCondition();
  private ClientCallStreamObserver<ChunkCodec.Chunk> stream;
  private volatile Throwable failure;

  Outbound(
      String runId,
      int from,
      int to,
      PeerAddress address,
      Channel channel,
      CallOptions options,
      AtomicLong bytesSent) {
    this.runId = runId;
    this.from = from;
    this.to = to;
    this.address = address;
    this.channel = channel;
    this.options = options;
    this.bytesSent = bytesSent;
  }

  void send(String tag, long seq, float[] data, int offset, int length, Duration timeout) {
    lock.lock();
    try {
      ClientCallStreamObserver<ChunkCodec.Chunk> s = open();
      int done = 0;
      do {
        int n = Math.min(GrpcPeerNetwork.CHUNK_ELEMENTS, length - done);
        awaitReady(s, timeout, tag);
        ChunkCodec.Chunk c =
            new ChunkCodec.Chunk(runId, from, tag, seq, length, done, data, offset + done, n);
        s.onNext(c);
        // The caller may reuse data once send returns: a transport that kept the chunk unwritten
        // gets its own copy now.
        c.release();
        done += n;
      } while (done < length);
      bytesSent.addAndGet(4L * length);
    } finally {
      lock.unlock();
    }
  }

  private ClientCallStreamObserver<ChunkCodec.Chunk> open() {
    checkFailure();
    if (stream == null) {
      stream =
          (ClientCallStreamObserver<ChunkCodec.Chunk>)
              ClientCalls.asyncClientStreamingCall(
                  channel.newCall(PeerService.EXCHANGE, options),
                  new ClientResponseObserver<ChunkCodec.Chunk, ExchangeSummary>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<ChunkCodec.Chunk> r) {
                      r.setOnReadyHandler(Outbound.this::signal);
                    }

                    @Override
                    public void onNext(ExchangeSummary value) {}

                    @Override
                    public void onError(Throwable t) {
                      failure = t;
                      signal();
                    }

                    @Override
                    public void onCompleted() {}
                  });
    }
    return stream;
  }

  private void signal() {
    readyLock.lock();
    try {
      ready.signalAll();
    } finally {
      readyLock.unlock();
    }
  }

  /**
   * Waits until the stream takes another chunk. The deadline is per chunk: isReady() turns true as
   * soon as the queue drops below the threshold, so any reading at all by the peer (a chunk per
   * {@code timeout}) keeps the sender going; only a peer that takes nothing for the whole timeout
   * is reported.
   */
  private void awaitReady(
      ClientCallStreamObserver<ChunkCodec.Chunk> s, Duration timeout, String tag) {
    long deadline = System.nanoTime() + timeout.toNanos();
    readyLock.lock();
    try {
      while (!s.isReady()) {
        checkFailure();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new PeerTimeoutException(
              "rank "
                  + from
                  + " could not send '"
                  + tag
                  + "' to rank "
                  + to
                  + " at "
                  + address
                  + " for "
                  + timeout.toSeconds()
                  + " s: it took no data in that time (stopped reading, hung, or starved of CPU)");
        }
        ready.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
      checkFailure();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrainingException("interrupted while sending to rank " + to, e);
    } finally {
      readyLock.unlock();
    }
  }

  private void checkFailure() {
    Throwable f = failure;
    if (f != null) {
      throw new PeerUnreachableException(
          "rank "
              + from
              + " lost its stream to rank "
              + to
              + " at "
              + address
              + ": "
              + GrpcPeerNetwork.describe(Status.fromThrowable(f)),
          f);
    }
  }

  void close() {
    lock.lock();
    try {
      if (stream != null && failure == null) {
        stream.onCompleted();
      }
    } catch (RuntimeException e) {
      // Closing a broken stream: nothing left to tell the peer.
    } finally {
      lock.unlock();
    }
  }
}
