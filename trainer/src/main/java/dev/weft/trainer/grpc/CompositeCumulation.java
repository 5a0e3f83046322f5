package dev.weft.trainer.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.internal.ObjectPool;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.util.concurrent.Executor;

/**
 * Credentials (plaintext or TLS, as given) whose connections gather incoming bytes without copying
 * them. gRPC's HTTP/2 handler is a Netty {@code ByteToMessageDecoder} with the default merging
 * cumulator: whenever a socket read ends inside a frame (nearly every 64 KiB read, with 16 KiB
 * frames), the next read is copied onto the leftover, and the buffer grown and copied again when it
 * is full; in perf of a 100 MB all-reduce on 4 JVMs that was ~4% of all CPU. The composite
 * cumulator links the reads instead. A frame that spans two reads then reaches gRPC as a buffer of
 * two parts, which {@link ChunkCodec} reads part by part, straight from the network buffers.
 *
 * <p>Uses gRPC's {@code Internal*} negotiator API (the supported way to customize the Netty
 * pipeline, but without compatibility promises): a gRPC upgrade that changes it fails to compile
 * here rather than at run time.
 */
final class CompositeCumulation {

  private CompositeCumulation() {}

  static ChannelCredentials channel(ChannelCredentials creds) {
    InternalProtocolNegotiator.ClientFactory inner =
        InternalNettyChannelCredentials.toNegotiator(creds);
    return InternalNettyChannelCredentials.create(
        new InternalProtocolNegotiator.ClientFactory() {
          @Override
          public InternalProtocolNegotiator.ProtocolNegotiator newNegotiator() {
            return wrap(inner.newNegotiator());
          }

          @Override
          public int getDefaultPort() {
            return inner.getDefaultPort();
          }
        });
  }

  static ServerCredentials server(ServerCredentials creds) {
    InternalProtocolNegotiator.ServerFactory inner =
        InternalNettyServerCredentials.toNegotiator(creds);
    return InternalNettyServerCredentials.create(
        new InternalProtocolNegotiator.ServerFactory() {
          @Override
          public InternalProtocolNegotiator.ProtocolNegotiator newNegotiator(
              ObjectPool<? extends Executor> offloadExecutorPool) {
            return wrap(inner.newNegotiator(offloadExecutorPool));
          }
        });
  }

  private static InternalProtocolNegotiator.ProtocolNegotiator wrap(
      InternalProtocolNegotiator.ProtocolNegotiator inner) {
    return new InternalProtocolNegotiator.ProtocolNegotiator() {
      @Override
      public AsciiString scheme() {
        return inner.scheme();
      }

      @Override
      public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        grpcHandler.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        return inner.newHandler(grpcHandler);
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }
}
