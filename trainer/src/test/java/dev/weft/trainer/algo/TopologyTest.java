package dev.weft.trainer.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  void everyGraphIsSymmetricConnectedAndHasTheExpectedDegree() {
    for (int n : new int[] {2, 3, 4, 6, 9, 16, 64}) {
      check(Topology.of(Topology.Kind.RING, n, 0, 1), n, n == 2 ? 1 : 2);
      check(Topology.of(Topology.Kind.COMPLETE, n, 0, 1), n, n - 1);
      if (n >= 9 && Math.sqrt(n) == Math.floor(Math.sqrt(n))) {
        check(Topology.of(Topology.Kind.TORUS, n, 0, 1), n, 4);
      }
      if (n >= 4) {
        check(Topology.of(Topology.Kind.RANDOM_REGULAR, n, 3 - n % 2, n), n, 3 - n % 2);
      }
    }
  }

  private static void check(Topology t, int n, int degree) {
    for (int i = 0; i < n; i++) {
      assertThat(t.neighbours(i)).hasSize(degree).doesNotContain(i);
      for (int j : t.neighbours(i)) {
        assertThat(t.neighbours(j)).contains(i);
      }
      assertThat(t.distance(0, i)).isNotNegative();
    }
  }

  @Test
  void sameSeedSameRandomGraph() {
    var a = Topology.of(Topology.Kind.RANDOM_REGULAR, 16, 3, 5);
    var b = Topology.of(Topology.Kind.RANDOM_REGULAR, 16, 3, 5);
    for (int i = 0; i < 16; i++) {
      assertThat(a.neighbours(i)).containsExactly(b.neighbours(i));
    }
  }

  @Test
  void impossibleRandomRegularGraphIsAClearError() {
    assertThatThrownBy(() -> Topology.of(Topology.Kind.RANDOM_REGULAR, 5, 3, 1))
        .hasMessageContaining("--hop-degree");
  }
}
