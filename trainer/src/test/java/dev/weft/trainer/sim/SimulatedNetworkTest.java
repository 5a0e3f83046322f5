package dev.weft.trainer.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.PeerTimeoutException;
import dev.weft.trainer.comm.PeerUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Virtual time and the network model, checked on hand-computed timings. */
class SimulatedNetworkTest {

  /** 1 ms latency, 1 MB/s, no framing: 1000 floats (4000 bytes) take 4 ms to transmit. */
  private static final NetworkModel NET = new NetworkModel(1_000_000, 1e6, 0, Map.of());

  @Test
  void sleepsAdvanceVirtualTimeWithoutWaiting() {
    VirtualScheduler clock = new VirtualScheduler();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      int id = i;
      clock.spawn(
          "f" + i,
          () -> {
            clock.sleep(Duration.ofSeconds(100 * (3 - id)));
            log.add(id + "@" + clock.nanoTime() / 1_000_000_000L);
          });
    }
    long t0 = System.nanoTime();
    assertThat(clock.run()).isEmpty();
    assertThat(log).containsExactly("2@100", "1@200", "0@300");
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void aMessageArrivesAfterLatencyAndTransmission() {
    VirtualScheduler clock = new VirtualScheduler();
    SimulatedNetwork net = new SimulatedNetwork(2, clock, NET);
    long[] arrived = new long[2];
    clock.spawn(
        "sender",
        () -> {
          PeerNetwork p = net.peer(0);
          p.send(1, "t", 0, new float[1000]);
          p.send(1, "t", 1, new float[1000]);
        });
    clock.spawn(
        "receiver",
        () -> {
          PeerNetwork p = net.peer(1);
          for (int i = 0; i < 2; i++) {
            Message m = p.receive(0, "t", Duration.ofSeconds(1)).expectSeq(i);
            arrived[i] = clock.nanoTime();
            assertThat(m.data()).hasSize(1000);
          }
        });
    assertThat(clock.run()).isEmpty();
    // First: 4 ms on the wire + 1 ms latency; the second queues behind it at the sender's NIC.
    assertThat(arrived).containsExactly(5_000_000L, 9_000_000L);
  }

  /** Ranks 0 and 1 each send 1000 floats at time 0, to ranks 2 and 3: separate pairs. */
  private static long[] twoPairsArrivals(NetworkModel model) {
    VirtualScheduler clock = new VirtualScheduler();
    SimulatedNetwork net = new SimulatedNetwork(4, clock, model);
    long[] arrived = new long[2];
    for (int pair = 0; pair < 2; pair++) {
      int from = pair;
      clock.spawn("sender" + from, () -> net.peer(from).send(from + 2, "t", 0, new float[1000]));
      clock.spawn(
          "receiver" + from,
          () -> {
            net.peer(from + 2).receive(from, "t", Duration.ofSeconds(1));
            arrived[from] = clock.nanoTime();
          });
    }
    assertThat(clock.run()).isEmpty();
    return arrived;
  }

  @Test
  void separateMachinesTransmitInParallel() {
    // Each pair has its own NICs: both messages take 4 ms + 1 ms latency.
    assertThat(twoPairsArrivals(NET)).containsExactly(5_000_000L, 5_000_000L);
  }

  @Test
  void aSharedHostTakesOneTransferAtATime() {
    // 2 MB/s per process, but one host moving 1 MB/s in total: the first message holds the host
    // for 4 ms (arrives at 5 ms), the second queues behind it (host 4-8 ms, arrives at 9 ms).
    NetworkModel host = new NetworkModel(1_000_000, 2e6, 0, Map.of(), 1e6);
    assertThat(host.sharedHost()).isTrue();
    assertThat(twoPairsArrivals(host)).containsExactly(5_000_000L, 9_000_000L);
  }

  /**
   * Rank 0 sends 1000 floats to rank 1 at 10 ms, while {@code computing} of ranks 2.. compute from
   * 0 to 20 ms; returns the arrival time.
   */
  private static long arrivalWhileComputing(NetworkModel model, int computing) {
    VirtualScheduler clock = new VirtualScheduler();
    SimulatedNetwork net = new SimulatedNetwork(2 + computing, clock, model);
    long[] arrived = new long[1];
    for (int r = 0; r < computing; r++) {
      clock.spawn("worker" + r, () -> net.compute(Duration.ofMillis(20)));
    }
    clock.spawn(
        "sender",
        () -> {
          clock.sleep(Duration.ofMillis(10));
          net.peer(0).send(1, "t", 0, new float[1000]);
        });
    clock.spawn(
        "receiver",
        () -> {
          net.peer(1).receive(0, "t", Duration.ofSeconds(1));
          arrived[0] = clock.nanoTime();
        });
    assertThat(clock.run()).isEmpty();
    return arrived[0];
  }

  @Test
  void computingWorkersStretchMessagesOnASharedHostWithProcessors() {
    // 1 ms latency, the host moving 1 MB/s (4 ms for 4000 bytes), NICs 100x faster, 2 processors.
    NetworkModel host = new NetworkModel(1_000_000, 1e8, 0, Map.of(), 1e6, 2);
    // Nobody computing, or one worker (2 runnable on 2 processors): 4 ms + 1 ms after 10 ms.
    assertThat(arrivalWhileComputing(host, 0)).isEqualTo(15_000_000L);
    assertThat(arrivalWhileComputing(host, 1)).isEqualTo(15_000_000L);
    // Three computing: 4 runnable on 2 processors, both latency and host time take twice as long.
    assertThat(arrivalWhileComputing(host, 3)).isEqualTo(20_000_000L);
    // Without processor sharing the same host ignores what the workers do.
    NetworkModel noSharing = new NetworkModel(1_000_000, 1e8, 0, Map.of(), 1e6);
    assertThat(arrivalWhileComputing(noSharing, 3)).isEqualTo(15_000_000L);
  }

  @Test
  void processorSharingNeedsASharedHostAndANonNegativeCount() {
    assertThat(new NetworkModel(0, 1e6, 0, Map.of(), 1e6, 1.5).cpuStretch(5)).isEqualTo(4.0);
    assertThat(new NetworkModel(0, 1e6, 0, Map.of(), 1e6, 4).cpuStretch(2)).isEqualTo(1.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new NetworkModel(0, 1e6, 0, Map.of(), 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need a shared host");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new NetworkModel(0, 1e6, 0, Map.of(), 1e6, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host processors must be >= 0");
  }

  @Test
  void aNegativeSharedHostBandwidthIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new NetworkModel(0, 1e6, 0, Map.of(), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shared host bandwidth");
  }

  @Test
  void linkDelaysAddToOneLinkOnly() {
    NetworkModel m =
        new NetworkModel(1_000_000, 1e6, 0, Map.of(NetworkModel.linkKey(2, 0), 3_000_000L));
    assertThat(m.delayNanos(0, 2)).isEqualTo(4_000_000);
    assertThat(m.delayNanos(2, 0)).isEqualTo(4_000_000);
    assertThat(m.delayNanos(0, 1)).isEqualTo(1_000_000);
  }

  @Test
  void aReceiveTimesOutInVirtualTime() {
    VirtualScheduler clock = new VirtualScheduler();
    SimulatedNetwork net = new SimulatedNetwork(2, clock, NET);
    List<Throwable> errors = new ArrayList<>();
    long[] at = new long[1];
    clock.spawn(
        "waiter",
        () -> {
          try {
            net.peer(1).receive(0, "never", Duration.ofSeconds(600));
          } catch (PeerTimeoutException e) {
            errors.add(e);
            at[0] = clock.nanoTime();
          }
        });
    assertThat(clock.run()).isEmpty();
    assertThat(errors).singleElement().isInstanceOf(PeerTimeoutException.class);
    assertThat(at[0]).isEqualTo(Duration.ofSeconds(600).toNanos());
  }

  @Test
  void receivesFromAKilledRankFailNamingIt() {
    VirtualScheduler clock = new VirtualScheduler();
    SimulatedNetwork net = new SimulatedNetwork(3, clock, NET);
    List<String> errors = new ArrayList<>();
    clock.spawn(
        "waiter",
        () -> {
          try {
            net.peer(1).receive(2, "x", Duration.ofSeconds(600));
          } catch (PeerUnreachableException e) {
            errors.add(e.getMessage() + " at " + clock.nanoTime());
          }
        });
    clock.spawn(
        "killer",
        () -> {
          clock.sleep(Duration.ofSeconds(1));
          net.kill(2, "died at iteration 7");
        });
    assertThat(clock.run()).isEmpty();
    assertThat(errors).containsExactly("rank 2 died at iteration 7 at 1000000000");
  }

  @Test
  void joinWaitsForAHelperFiber() throws Exception {
    VirtualScheduler clock = new VirtualScheduler();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    clock.spawn(
        "parent",
        () -> {
          Thread helper =
              clock.startThread(
                  "helper",
                  () -> {
                    clock.sleep(Duration.ofSeconds(5));
                    log.add("helper done");
                  });
          try {
            clock.join(helper, Duration.ofSeconds(60));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          log.add("joined at " + clock.nanoTime() / 1_000_000_000L);
        });
    assertThat(clock.run()).isEmpty();
    assertThat(log).containsExactly("helper done", "joined at 5");
  }
}
