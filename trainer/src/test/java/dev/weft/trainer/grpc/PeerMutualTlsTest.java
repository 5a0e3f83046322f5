package dev.weft.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.weft.protos.testing.TestCertificates;
import dev.weft.protos.v1.ExchangeSummary;
import dev.weft.protos.v1.HelloRequest;
import dev.weft.protos.v1.Tensor;
import dev.weft.protos.v1.TensorChunk;
import dev.weft.protos.v1.TrainerPeerGrpc;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.launch.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two peers of a run over loopback TCP with mutual TLS. Processes that do not hold a certificate of
 * the run's CA (one from another CA, one with none) cannot reach the peers' services; a process
 * that does but sends another run's chunks is refused; all the while the run's own peers carry on.
 */
class PeerMutualTlsTest {

  @TempDir Path dir;

  private CompletableFuture<GrpcPeerNetwork> start(int rank, List<PeerAddress> peers, PeerTls tls) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return GrpcPeerNetwork.start(
                "secure-run",
                rank,
                peers,
                GrpcPeerNetworkTest.MLP,
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                Clock.system(),
                tls);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private static HelloRequest hello(String run) {
    return HelloRequest.newBuilder().setRunId(run).setRank(1).build();
  }

  @Test
  void aPeerWithAnUnknownCertificateIsRefusedAndTheRunCarriesOn() throws Exception {
    TestCertificates runCa = TestCertificates.authority("run", dir, 21);
    Path ca = runCa.caCertificate();
    TestCertificates.Leaf l0 = runCa.leaf("rank0");
    TestCertificates.Leaf l1 = runCa.leaf("rank1");
    int[] ports = FreePorts.pick(2);
    List<PeerAddress> peers =
        List.of(PeerAddress.tcp("localhost", ports[0]), PeerAddress.tcp("localhost", ports[1]));
    var a = start(0, peers, new PeerTls(l0.certificate(), l0.privateKey(), ca));
    var b = start(1, peers, new PeerTls(l1.certificate(), l1.privateKey(), ca));
    try (GrpcPeerNetwork n0 = a.get(30, TimeUnit.SECONDS);
        GrpcPeerNetwork n1 = b.get(30, TimeUnit.SECONDS)) {
      n0.send(1, "w", 1, new float[] {1, 2, 3});
      assertThat(n1.receive(0, "w", Duration.ofSeconds(10)).data()).containsExactly(1, 2, 3);

      // An intruder with a certificate of its own CA, trusting the run's CA.
      TestCertificates.Leaf stranger =
          TestCertificates.authority("stranger", dir, 22).leaf("intruder");
      PeerTls intruderTls = new PeerTls(stranger.certificate(), stranger.privateKey(), ca);
      ManagedChannel intruder =
          NettyChannelBuilder.forAddress("localhost", ports[1], intruderTls.channelCredentials())
              .build();
      // And one with no client certificate at all.
      ManagedChannel anonymous =
          NettyChannelBuilder.forAddress(
                  "localhost",
                  ports[1],
                  io.grpc.TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build())
              .build();
      // And one that does not speak TLS.
      ManagedChannel plaintext =
          NettyChannelBuilder.forAddress("localhost", ports[1]).usePlaintext().build();
      try {
        for (ManagedChannel ch : List.of(intruder, anonymous, plaintext)) {
          assertThatThrownBy(
                  () ->
                      TrainerPeerGrpc.newBlockingStub(ch)
                          .withDeadlineAfter(10, TimeUnit.SECONDS)
                          .hello(hello("secure-run")))
              .isInstanceOfSatisfying(
                  StatusRuntimeException.class,
                  e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
      } finally {
        for (ManagedChannel ch : List.of(intruder, anonymous, plaintext)) {
          ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }

      // The run carries on in both directions.
      n1.send(0, "w", 2, new float[] {4, 5});
      n0.send(1, "w", 3, new float[] {6});
      Message back = n0.receive(1, "w", Duration.ofSeconds(10)).expectSeq(2);
      assertThat(back.data()).containsExactly(4, 5);
      assertThat(n1.receive(0, "w", Duration.ofSeconds(10)).expectSeq(3).data()).containsExactly(6);
    }
  }

  @Test
  void chunksCarryingAnotherRunsIdAreRefusedAndTheRunCarriesOn() throws Exception {
    TestCertificates runCa = TestCertificates.authority("run", dir, 23);
    Path ca = runCa.caCertificate();
    TestCertificates.Leaf l0 = runCa.leaf("rank0");
    TestCertificates.Leaf l1 = runCa.leaf("rank1");
    TestCertificates.Leaf other = runCa.leaf("other-run");
    int[] ports = FreePorts.pick(2);
    List<PeerAddress> peers =
        List.of(PeerAddress.tcp("localhost", ports[0]), PeerAddress.tcp("localhost", ports[1]));
    var a = start(0, peers, new PeerTls(l0.certificate(), l0.privateKey(), ca));
    var b = start(1, peers, new PeerTls(l1.certificate(), l1.privateKey(), ca));
    try (GrpcPeerNetwork n0 = a.get(30, TimeUnit.SECONDS);
        GrpcPeerNetwork n1 = b.get(30, TimeUnit.SECONDS)) {
      // A process holding a certificate of the same CA, but of another run (a stale worker of a
      // previous run, say): its handshake and its tensors are both refused.
      ManagedChannel stale =
          NettyChannelBuilder.forAddress(
                  "localhost",
                  ports[1],
                  new PeerTls(other.certificate(), other.privateKey(), ca).channelCredentials())
              .build();
      try {
        assertThatThrownBy(
                () ->
                    TrainerPeerGrpc.newBlockingStub(stale)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .hello(hello("previous-run")))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                  assertThat(e.getStatus().getDescription())
                      .contains("secure-run")
                      .contains("previous-run");
                });
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        StreamObserver<TensorChunk> chunks =
            TrainerPeerGrpc.newStub(stale)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .exchange(
                    new StreamObserver<ExchangeSummary>() {
                      @Override
                      public void onNext(ExchangeSummary value) {}

                      @Override
                      public void onError(Throwable t) {
                        refused.complete(t);
                      }

                      @Override
                      public void onCompleted() {
                        refused.complete(null);
                      }
                    });
        chunks.onNext(chunk("previous-run", "w", 9, new float[] {666}));
        chunks.onCompleted();
        Throwable t = refused.get(10, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(Status.fromThrowable(t).getDescription()).contains("previous-run");
      } finally {
        stale.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      // Nothing of the other run reached the mailbox: the next message on the tag is the run's.
      n0.send(1, "w", 10, new float[] {7, 8});
      Message m = n1.receive(0, "w", Duration.ofSeconds(10));
      assertThat(m.seq()).isEqualTo(10);
      assertThat(m.data()).containsExactly(7, 8);
    }
  }

  /** A one-chunk tensor as the wire format has it: rank 0 sending {@code values}. */
  private static TensorChunk chunk(String run, String tag, long seq, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    return TensorChunk.newBuilder()
        .setRunId(run)
        .setSender(0)
        .setTag(tag)
        .setSeq(seq)
        .setTotalElements(values.length)
        .setOffset(0)
        .setPart(
            Tensor.newBuilder().addShape(values.length).setData(ByteString.copyFrom(bytes.array())))
        .build();
  }
}
