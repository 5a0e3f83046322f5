package dev.weft.trainer.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.ForwardingPeerNetwork;
import dev.weft.trainer.comm.LocalNetwork;
import dev.weft.trainer.comm.PeerNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * AD-PSGD's final average after a worker died, when survivors learn of the death at different
 * times.
 */
class AdPsgdSurvivorsTest {

  /** A rank's view of the dead: rank 3 from {@code knownAfterNanos} after the view was made. */
  private static final class LaggingView extends ForwardingPeerNetwork {
    private final long since = System.nanoTime();
    private final long knownAfterNanos;

    LaggingView(PeerNetwork inner, Duration knownAfter) {
      super(inner);
      this.knownAfterNanos = knownAfter.toNanos();
    }

    @Override
    public Set<Integer> deadPeers() {
      return System.nanoTime() - since >= knownAfterNanos ? Set.of(3) : Set.of();
    }
  }

  @Test
  void survivorsAgreeOnWhoTakesPartEvenWhenOneLearnsOfTheDeathLate() throws Exception {
    // Workers 0 and 2 active, 1 and 3 passive; 3 died before doing anything. Workers 0 and 1 know
    // at once; worker 2 reaches the end before the coordinator's report reaches it (3 s). By its
    // own view the final ring would include 3 and fail; instead it waits for 3's word until it
    // learns of the death, and all three average over {0, 1, 2}.
    AlgorithmConfig c =
        new AlgorithmConfig(AlgorithmKind.ADPSGD, 4, 0, false, 0.1f, 3, Duration.ofSeconds(20), 42);
    float[][] init = {{0, 9}, {3, 0}, {6, 3}, {100, 100}};
    LocalNetwork local = new LocalNetwork(4, Clock.system());
    List<float[]> out =
        Cluster.run(
            r -> new LaggingView(local.peer(r), Duration.ofSeconds(r == 2 ? 3 : 0)),
            3,
            net -> {
              try (Algorithm a = Algorithms.worker(c, net, init[net.rank()])) {
                // Zero gradients: only averaging changes models, and it keeps their sum.
                for (int it = 0; it < (net.rank() == 2 ? 0 : 20); it++) {
                  a.step(it, new float[2]);
                }
                return a.finish();
              }
            });
    for (float[] o : out) {
      assertThat(o[0]).isCloseTo(3f, Offset.offset(1e-4f));
      assertThat(o[1]).isCloseTo(4f, Offset.offset(1e-4f));
    }
  }
}
