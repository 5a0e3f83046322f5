package dev.weft.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.trainer.comm.InPlaceReceives;
import dev.weft.trainer.comm.ProtocolException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Announced receives over loopback TCP: placed by the event loop, or placed on await. */
class GrpcInPlaceTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int N = GrpcPeerNetwork.CHUNK_ELEMENTS;

  private GrpcPeerNetwork n0;
  private GrpcPeerNetwork n1;

  @BeforeEach
  void connect() throws Exception {
    GrpcPeerNetwork[] pair = GrpcPeerNetworkTest.connectedPair("inplace", null);
    n0 = pair[0];
    n1 = pair[1];
  }

  @AfterEach
  void close() {
    n0.close();
    n1.close();
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }

  @Test
  void announcedChunksAreAddedOrCopiedByTheEventLoop() {
    float[] dest = filled(2 * N, 1f);
    try (InPlaceReceives in = n1.inPlace(0, dest)) {
      in.expect("t", 0, 0, N, true);
      in.expect("t", 1, N, N, false);
      n0.send(1, "t", 0, filled(N, 2f));
      n0.send(1, "t", 1, filled(N, 5f));
      in.await("t", 0, WAIT);
      in.await("t", 1, WAIT);
    }
    assertThat(Arrays.copyOfRange(dest, 0, N)).containsOnly(3f);
    assertThat(Arrays.copyOfRange(dest, N, 2 * N)).containsOnly(5f);
    assertThat(n1.placements().placed()).isEqualTo(2);
    assertThat(n1.placements().pending()).isZero();
  }

  @Test
  void aMessageThatArrivedBeforeItsAnnouncementIsPlacedOnAwait() {
    n0.send(1, "early", 0, filled(N, 4f));
    // Same connection, sent after it: once this is here, so is "early".
    n0.send(1, "after", 0, new float[1]);
    n1.receive(0, "after", WAIT);
    float[] dest = filled(N, 1f);
    try (InPlaceReceives in = n1.inPlace(0, dest)) {
      in.expect("early", 0, 0, N, true);
      in.await("early", 0, WAIT);
    }
    assertThat(dest).containsOnly(5f);
    assertThat(n1.placements().placed()).isZero();
    assertThat(n1.placements().pending()).isZero();
  }

  @Test
  void closingWithdrawsAnnouncementsSoLaterMessagesLeaveTheArrayAlone() {
    float[] dest = filled(N, 1f);
    try (InPlaceReceives in = n1.inPlace(0, dest)) {
      in.expect("w", 0, 0, N, false);
    }
    assertThat(n1.placements().pending()).isZero();
    n0.send(1, "w", 0, filled(N, 9f));
    assertThat(n1.receive(0, "w", WAIT).data()).containsOnly(9f);
    assertThat(dest).containsOnly(1f);
  }

  @Test
  void aChunkOfTheWrongLengthIsNotPlacedAndAwaitNamesTheMismatch() {
    float[] dest = filled(N, 1f);
    try (InPlaceReceives in = n1.inPlace(0, dest)) {
      in.expect("len", 0, 0, N, true);
      n0.send(1, "len", 0, filled(N - 1, 2f));
      assertThatThrownBy(() -> in.await("len", 0, WAIT))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("carries " + (N - 1) + " values, expected " + N);
    }
    assertThat(dest).containsOnly(1f);
  }

  @Test
  void awaitingWhatWasNotAnnouncedIsAProgrammingError() {
    try (InPlaceReceives in = n1.inPlace(0, new float[4])) {
      assertThatThrownBy(() -> in.await("x", 0, WAIT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not announced");
      assertThatThrownBy(() -> in.expect("x", 0, 2, 3, true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside 4 values");
    }
  }
}
