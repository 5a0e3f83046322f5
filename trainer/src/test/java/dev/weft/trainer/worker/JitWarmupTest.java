package dev.weft.trainer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.trainer.algo.AlgorithmConfig;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.LocalNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JitWarmupTest {

  /** Three processes, one without a model (a server): all compute N times and agree on a start. */
  @Test
  void everyProcessWarmsUpAndAllAgreeOnOneStartNoEarlierThanTheirOwnEnd() throws Exception {
    LocalNetwork network = new LocalNetwork(3, Clock.system());
    long registered = System.currentTimeMillis();
    AtomicInteger computed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        int rank = r;
        results.add(
            pool.submit(
                () -> {
                  if (rank == 2) {
                    Thread.sleep(50); // the last process to arrive sets the start
                  }
                  long start =
                      JitWarmup.run(
                          network.peer(rank),
                          4,
                          rank == 2 ? null : computed::incrementAndGet,
                          registered,
                          AlgorithmConfig.DEFAULT_CHUNK_ELEMENTS,
                          Duration.ofSeconds(30));
                  return new long[] {start, System.currentTimeMillis()};
                }));
      }
      long start0 = results.get(0).get(60, TimeUnit.SECONDS)[0];
      for (Future<long[]> f : results) {
        long[] startAndEnd = f.get(60, TimeUnit.SECONDS);
        assertEquals(start0, startAndEnd[0], "all processes start their clocks together");
        assertTrue(startAndEnd[0] >= registered + 50, "not before the late process arrived");
        assertTrue(startAndEnd[0] <= startAndEnd[1] + 1, "not after the process is done");
      }
      assertEquals(8, computed.get(), "two model-holding processes x 4 warm-up gradients");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void zeroIterationsLeavesTheStartAlone() {
    LocalNetwork network = new LocalNetwork(2, Clock.system());
    assertEquals(
        1234L,
        JitWarmup.run(
            network.peer(0),
            0,
            () -> {
              throw new AssertionError("no warm-up wanted");
            },
            1234L,
            AlgorithmConfig.DEFAULT_CHUNK_ELEMENTS,
            Duration.ofSeconds(1)));
  }
}
