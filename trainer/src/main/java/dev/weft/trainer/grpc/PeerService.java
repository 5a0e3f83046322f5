package dev.weft.trainer.grpc;

import dev.weft.protos.v1.ExchangeSummary;
import dev.weft.protos.v1.HelloReply;
import dev.weft.protos.v1.HelloRequest;
import dev.weft.protos.v1.TensorChunk;
import dev.weft.protos.v1.TrainerPeerGrpc;
import dev.weft.trainer.comm.Mailbox;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.model.ParameterShapes;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The receiving side of the peer protocol: checks run id and model shapes, reassembles chunked
 * tensors and delivers them to the worker's {@link Mailbox}.
 */
final class PeerService extends TrainerPeerGrpc.TrainerPeerImplBase {

  private final String runId;
  private final int rank;
  private final ParameterShapes shapes;
  private final Mailbox mailbox;

  PeerService(String runId, int rank, ParameterShapes shapes, Mailbox mailbox) {
    this.runId = runId;
    this.rank = rank;
    this.shapes = shapes;
    this.mailbox = mailbox;
  }

  @Override
  public void hello(HelloRequest req, StreamObserver<HelloReply> out) {
    if (!runId.equals(req.getRunId())) {
      out.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "rank " + rank + " belongs to run '" + runId + "', not '" + req.getRunId() + "'")
              .asRuntimeException());
      return;
    }
    ParameterShapes theirs = Wire.shapes(req.getParameterShapesList());
    if (shapes != null && !theirs.dims().isEmpty() && !shapes.sameShapes(theirs)) {
      out.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "model mismatch: rank "
                      + req.getRank()
                      + " has parameters "
                      + theirs.describe()
                      + " but rank "
                      + rank
                      + " has "
                      + shapes.describe())
              .asRuntimeException());
      return;
    }
    out.onNext(
        HelloReply.newBuilder()
            .setRunId(runId)
            .setRank(rank)
            .addAllParameterShapes(Wire.shapes(shapes))
            .build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<TensorChunk> exchange(StreamObserver<ExchangeSummary> out) {
    return new StreamObserver<>() {
      private float[] pending;
      private int filled;
      private long chunks;
      private long bytes;
      private int sender = -1;

      @Override
      public void onNext(TensorChunk c) {
        if (!runId.equals(c.getRunId())) {
          out.onError(
              Status.FAILED_PRECONDITION
                  .withDescription(
                      "chunk for run '" + c.getRunId() + "' sent to run '" + runId + "'")
                  .asRuntimeException());
          return;
        }
        sender = c.getSender();
        chunks++;
        bytes += c.getPart().getData().size();
        if (c.getOffset() == 0) {
          // Chunks of one message are sent back to back on this stream, so a new offset 0
          // always starts a new message.
          pending = new float[Math.toIntExact(c.getTotalElements())];
          filled = 0;
        } else if (pending == null || c.getOffset() != filled) {
          out.onError(
              Status.INVALID_ARGUMENT
                  .withDescription("chunk at offset " + c.getOffset() + ", expected " + filled)
                  .asRuntimeException());
          return;
        }
        filled += Wire.copyInto(c.getPart(), pending, filled);
        if (filled == pending.length) {
          mailbox.deliver(new Message(c.getSender(), c.getTag(), c.getSeq(), pending));
          pending = null;
        }
      }

      @Override
      public void onError(Throwable t) {
        // The sender went away without closing its stream: it crashed or was killed.
        if (sender >= 0) {
          mailbox.failPeer(
              sender,
              new PeerUnreachableException(
                  "rank "
                      + sender
                      + " disconnected from rank "
                      + rank
                      + ": "
                      + Status.fromThrowable(t)));
        }
      }

      @Override
      public void onCompleted() {
        out.onNext(
            ExchangeSummary.newBuilder().setRunId(runId).setChunks(chunks).setBytes(bytes).build());
        out.onCompleted();
      }
    };
  }
}
