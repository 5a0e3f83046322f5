package dev.weft.accel.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.data.graph.Graph;
import dev.weft.data.graph.Ratings;
import dev.weft.data.graph.RatingsConfig;
import org.junit.jupiter.api.Test;

class CollaborativeFilteringTest {

  private static final RatingsConfig DATA = new RatingsConfig(120, 80, 4, 20, 0.05, 17);

  @Test
  void everyBackendLearnsTheSameFactors() {
    Ratings ratings = Ratings.generate(DATA);
    Graph g = Graph.from(ratings.toEdgeList());
    CfConfig cfg = new CfConfig(4, 300, 0.5, 0.001, 3);
    CfResult ref =
        new ReferenceBackend().prepare(g, TestGraphs.OPTIONS).collaborativeFiltering(120, cfg);
    // Learning works: from a random start down to a small error on low-rank data.
    assertThat(ref.initialRmse()).isGreaterThan(1.0);
    assertThat(ref.finalRmse()).isLessThan(0.3);
    for (GraphBackend b : TestGraphs.fastBackends()) {
      try (GraphKernel k = b.prepare(g, TestGraphs.OPTIONS)) {
        CfResult r = k.collaborativeFiltering(120, cfg);
        assertThat(r.finalRmse()).as(b.name()).isCloseTo(ref.finalRmse(), within(1e-9));
        assertThat(BackendAgreementTest.l1(r.factors(), ref.factors()))
            .as(b.name())
            .isLessThan(1e-6);
        assertThat(Checksums.cf(r)).isEqualTo(Checksums.cf(ref));
      }
    }
  }

  @Test
  void rejectsAGraphThatIsNotUserToItem() {
    Graph g = TestGraphs.random(10, 30, true, true, 1);
    for (GraphBackend b : GraphBackends.all()) {
      try (GraphKernel k = b.prepare(g, TestGraphs.OPTIONS)) {
        assertThatThrownBy(() -> k.collaborativeFiltering(5, CfConfig.defaults(1)))
            .as(b.name())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("user→item");
      }
    }
  }
}
