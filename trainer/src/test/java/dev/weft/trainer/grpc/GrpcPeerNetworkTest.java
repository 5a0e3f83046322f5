package dev.weft.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.ModelMismatchException;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.launch.FreePorts;
import dev.weft.trainer.model.ParameterShapes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcPeerNetworkTest {

  static final ParameterShapes MLP =
      new ParameterShapes(List.of("w", "b"), List.of(new long[] {10, 784}, new long[] {10}));
  static final ParameterShapes OTHER =
      new ParameterShapes(List.of("w", "b"), List.of(new long[] {16, 784}, new long[] {16}));

  static CompletableFuture<GrpcPeerNetwork> startAsync(
      String run, int rank, List<PeerAddress> peers, ParameterShapes shapes, Duration connect) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return GrpcPeerNetwork.start(
                run, rank, peers, shapes, connect, Duration.ofSeconds(10), Clock.system());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /** Ranks 0 and 1 of run {@code run}, connected over loopback TCP. */
  static GrpcPeerNetwork[] connectedPair(String run, ParameterShapes shapes) throws Exception {
    int[] ports = FreePorts.pick(2);
    List<PeerAddress> peers =
        List.of(PeerAddress.tcp("127.0.0.1", ports[0]), PeerAddress.tcp("127.0.0.1", ports[1]));
    var a = startAsync(run, 0, peers, shapes, Duration.ofSeconds(20));
    var b = startAsync(run, 1, peers, shapes, Duration.ofSeconds(20));
    return new GrpcPeerNetwork[] {a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)};
  }

  @Test
  void largeTensorsStreamInChunksOverLoopbackTcp() throws Exception {
    GrpcPeerNetwork[] pair = connectedPair("big", MLP);
    try (GrpcPeerNetwork n0 = pair[0];
        GrpcPeerNetwork n1 = pair[1]) {
      // 5 MiB + 3 values: several transport chunks with a ragged tail, and an empty message.
      float[] data = new float[5 * GrpcPeerNetwork.CHUNK_ELEMENTS / 4 * 4 + 3];
      for (int i = 0; i < data.length; i++) {
        data[i] = i * 0.5f;
      }
      n0.send(1, "x", 7, data, 1, data.length - 1);
      n0.send(1, "x", 8, new float[0]);
      Message m = n1.receive(0, "x", Duration.ofSeconds(20)).expectSeq(7);
      assertThat(m.data()).hasSize(data.length - 1);
      assertThat(m.data()[0]).isEqualTo(0.5f);
      assertThat(m.data()[data.length - 2]).isEqualTo((data.length - 1) * 0.5f);
      assertThat(n1.receiveAny("x", Duration.ofSeconds(5)).data()).isEmpty();
      assertThat(n0.bytesSent()).isEqualTo(4L * (data.length - 1));
    }
  }

  @Test
  void aRecycledArrayCarriesTheNextMessageWithNoStaleValues() throws Exception {
    GrpcPeerNetwork[] pair = connectedPair("reuse", MLP);
    try (GrpcPeerNetwork n0 = pair[0];
        GrpcPeerNetwork n1 = pair[1]) {
      float[] first = new float[GrpcPeerNetwork.CHUNK_ELEMENTS];
      java.util.Arrays.fill(first, 7f);
      n0.send(1, "r", 0, first);
      Message m = n1.receive(0, "r", Duration.ofSeconds(20)).expectSeq(0);
      float[] used = m.data();
      assertThat(used).containsOnly(7f);
      n1.recycle(m);
      float[] second = new float[GrpcPeerNetwork.CHUNK_ELEMENTS];
      for (int i = 0; i < second.length; i++) {
        second[i] = -i;
      }
      n0.send(1, "r", 1, second);
      Message again = n1.receive(0, "r", Duration.ofSeconds(20)).expectSeq(1);
      assertThat(again.data()).isSameAs(used).containsExactly(second);
      // Multi-chunk messages are reassembled into a fresh array; their chunks' arrays go back.
      float[] big = new float[3 * GrpcPeerNetwork.CHUNK_ELEMENTS + 5];
      java.util.Arrays.fill(big, 2f);
      n0.send(1, "r", 2, big);
      Message whole = n1.receive(0, "r", Duration.ofSeconds(20)).expectSeq(2);
      assertThat(whole.data()).isNotSameAs(used).containsOnly(2f).hasSize(big.length);
    }
  }

  @Test
  void mismatchedModelShapesFailTheHandshakeNamingBoth() throws Exception {
    List<PeerAddress> peers = List.of(PeerAddress.inProcess("mm-0"), PeerAddress.inProcess("mm-1"));
    var a = startAsync("mm", 0, peers, MLP, Duration.ofSeconds(3));
    var b = startAsync("mm", 1, peers, OTHER, Duration.ofSeconds(3));
    Throwable ea = catchCause(a);
    Throwable eb = catchCause(b);
    Throwable e = ea instanceof ModelMismatchException ? ea : eb;
    assertThat(e)
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("10x784")
        .hasMessageContaining("16x784");
  }

  @Test
  void anUnreachablePeerIsNamedAfterTheConnectTimeout() throws Exception {
    int[] ports = FreePorts.pick(2);
    List<PeerAddress> peers =
        List.of(PeerAddress.tcp("127.0.0.1", ports[0]), PeerAddress.tcp("127.0.0.1", ports[1]));
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                GrpcPeerNetwork.start(
                    "lonely",
                    0,
                    peers,
                    MLP,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(2),
                    Clock.system()))
        .isInstanceOf(PeerUnreachableException.class)
        .hasMessageContaining("peer rank 1 at 127.0.0.1:" + ports[1])
        .hasMessageContaining("unreachable");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void aPeerOfAnotherRunIsRefused() throws Exception {
    List<PeerAddress> peers =
        List.of(PeerAddress.inProcess("run-0"), PeerAddress.inProcess("run-1"));
    var a = startAsync("run-a", 0, peers, MLP, Duration.ofSeconds(5));
    var b = startAsync("run-b", 1, peers, MLP, Duration.ofSeconds(5));
    Throwable e = catchCause(a);
    catchCause(b);
    assertThat(e).hasMessageContaining("run-a").hasMessageContaining("run-b");
  }

  @Test
  void lanesGrowWithProcessorsFromOneToFour() {
    assertThat(GrpcPeerNetwork.lanesFor(1)).isEqualTo(1);
    assertThat(GrpcPeerNetwork.lanesFor(2)).isEqualTo(1);
    assertThat(GrpcPeerNetwork.lanesFor(8)).isEqualTo(2);
    assertThat(GrpcPeerNetwork.lanesFor(16)).isEqualTo(4);
    assertThat(GrpcPeerNetwork.lanesFor(128)).isEqualTo(4);
    assertThat(GrpcPeerNetwork.lane("allreduce#7")).isBetween(0, GrpcPeerNetwork.LANES - 1);
    assertThat(GrpcPeerNetwork.lane("no-lane")).isZero();
  }

  @Test
  void peerListsAndDnsPatternsParse() {
    assertThat(PeerAddress.parseList("a:1, b:2").get(1)).isEqualTo(PeerAddress.tcp("b", 2));
    assertThat(PeerAddress.fromPattern("trainer-{rank}.trainer:7070", 3).get(2).host())
        .isEqualTo("trainer-2.trainer");
    assertThatThrownBy(() -> PeerAddress.parse("nohost")).hasMessageContaining("host:port");
  }

  static Throwable catchCause(CompletableFuture<GrpcPeerNetwork> f) {
    try {
      f.get(30, TimeUnit.SECONDS).close();
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
  }
}
