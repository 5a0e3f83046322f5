package dev.weft.trainer.grpc;

import dev.weft.protos.v1.ExchangeSummary;
import dev.weft.protos.v1.HelloReply;
import dev.weft.protos.v1.HelloRequest;
import dev.weft.protos.v1.TrainerPeerGrpc;
import dev.weft.trainer.comm.Mailbox;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.model.ParameterShapes;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
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
  private final ReceiveArrays arrays;
  private final Placements placements;

  /**
   * @param arrays where received chunks' arrays come from; consumers return them through {@link
   *     dev.weft.trainer.comm.PeerNetwork#recycle}
   * @param placements announced destinations that matching chunks are written into as they are
   *     parsed; such a chunk reaches the mailbox as a {@link ChunkCodec#PLACED} marker
   */
  PeerService(
      String runId,
      int rank,
      ParameterShapes shapes,
      Mailbox mailbox,
      ReceiveArrays arrays,
      Placements placements) {
    this.runId = runId;
    this.rank = rank;
    this.shapes = shapes;
    this.mailbox = mailbox;
    this.arrays = arrays;
    this.placements = placements;
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

  /**
   * The {@code Exchange} method as sent and served: the proto service's method with {@link
   * ChunkCodec} as its request marshaller (same name and wire bytes, no protobuf object copies).
   */
  static final MethodDescriptor<ChunkCodec.Chunk, ExchangeSummary> EXCHANGE =
      TrainerPeerGrpc.getExchangeMethod().toBuilder(
              ChunkCodec.INSTANCE, ProtoUtils.marshaller(ExchangeSummary.getDefaultInstance()))
          .build();

  /**
   * The service as served: Hello as generated, Exchange as {@link #EXCHANGE} but parsing into this
   * service's reusable arrays or announced destinations.
   */
  ServerServiceDefinition definition() {
    ServerServiceDefinition generated = bindService();
    return ServerServiceDefinition.builder(TrainerPeerGrpc.SERVICE_NAME)
        .addMethod(generated.getMethod(TrainerPeerGrpc.getHelloMethod().getFullMethodName()))
        .addMethod(
            EXCHANGE.toBuilder().setRequestMarshaller(new ChunkCodec(arrays, placements)).build(),
            ServerCalls.asyncClientStreamingCall(this::receive))
        .build();
  }

  private StreamObserver<ChunkCodec.Chunk> receive(StreamObserver<ExchangeSummary> out) {
    return new StreamObserver<>() {
      private float[] pending;
      private int filled;
      private long chunks;
      private long bytes;
      private int sender = -1;

      @Override
      public void onNext(ChunkCodec.Chunk c) {
        if (!runId.equals(c.runId)) {
          out.onError(
              Status.FAILED_PRECONDITION
                  .withDescription("chunk for run '" + c.runId + "' sent to run '" + runId + "'")
                  .asRuntimeException());
          return;
        }
        sender = c.sender;
        chunks++;
        bytes += 4L * c.n;
        float[] values = c.values();
        if (c.offset == 0 && c.n == c.total) {
          // A whole message in one chunk (every ring all-reduce chunk): the parsed array is it,
          // or the PLACED marker when the codec already wrote it where it was announced.
          pending = null;
          mailbox.deliver(new Message(c.sender, c.tag, c.seq, values));
          return;
        }
        if (c.offset == 0) {
          // Chunks of one message are sent back to back on this stream, so a new offset 0
          // always starts a new message.
          pending = new float[Math.toIntExact(c.total)];
          filled = 0;
        } else if (pending == null || c.offset != filled) {
          out.onError(
              Status.INVALID_ARGUMENT
                  .withDescription("chunk at offset " + c.offset + ", expected " + filled)
                  .asRuntimeException());
          return;
        }
        if (filled + c.n > pending.length) {
          out.onError(
              Status.INVALID_ARGUMENT
                  .withDescription(
                      "chunk of " + c.n + " values does not fit at " + filled + " of " + c.total)
                  .asRuntimeException());
          return;
        }
        System.arraycopy(values, c.from(), pending, filled, c.n);
        arrays.give(values);
        filled += c.n;
        if (filled == pending.length) {
          mailbox.deliver(new Message(c.sender, c.tag, c.seq, pending));
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
