package dev.weft.trainer.hypar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Algorithm 1 against exhaustive search, and the exact optimum against brute force. */
class HyParSearchTest {

  /** A random chain of conv layers then FC layers with consistent shapes. */
  static Network randomNetwork(long seed, int maxLayers) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(maxLayers);
    int convs = r.nextInt(n + 1);
    List<Layer> ls = new ArrayList<>();
    Shape s = new Shape(1 + r.nextInt(64), 4 + r.nextInt(60), 4 + r.nextInt(60));
    for (int i = 0; i < n; i++) {
      if (i < convs) {
        int c = 1 + r.nextInt(512);
        Shape conv = new Shape(c, s.height(), s.width());
        Shape out =
            r.nextBoolean() && s.height() > 1
                ? new Shape(c, s.height() / 2, s.width() / 2 == 0 ? 1 : s.width() / 2)
                : conv;
        ls.add(Layer.conv("l" + i, s, 1 + 2 * r.nextInt(3), conv, out));
        s = out;
      } else {
        int out = 1 + r.nextInt(8192);
        ls.add(Layer.fc("l" + i, Math.toIntExact(s.size()), out));
        s = Shape.vector(out);
      }
    }
    return new Network("random-" + seed, 1 + r.nextInt(512), ls, "seed " + seed);
  }

  @Property(tries = 300, seed = "20190102")
  void algorithmOneEqualsExhaustiveSearchAtOneLevel(@ForAll long seed) {
    Network net = randomNetwork(seed, 12);
    List<Part> parts = HyPar.parts(net);
    HyPar.TwoWay dp = HyPar.twoWay(parts);
    HyPar.TwoWay all = Exhaustive.oneLevel(parts);
    assertThat(dp.elements()).isCloseTo(all.elements(), within(1e-9 * all.elements()));
    assertThat(CommModel.level(parts, dp.choices()))
        .isCloseTo(dp.elements(), within(1e-9 * all.elements()));
  }

  @Property(tries = 40, seed = "20190103")
  void jointDynamicProgramEqualsBruteForceOverLevels(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth) {
    Network net = randomNetwork(seed, 5);
    Plan brute = Exhaustive.bruteForce(net, depth);
    Plan exact = Exhaustive.optimal(net, depth);
    Plan hypar = HyPar.plan(net, depth);
    assertThat(exact.totalElements())
        .isCloseTo(brute.totalElements(), within(1e-9 * brute.totalElements()));
    assertThat(hypar.totalElements()).isGreaterThanOrEqualTo(exact.totalElements() * (1 - 1e-12));
  }

  @Property(tries = 200, seed = "20190104")
  void hyparAtOneLevelIsOptimalAndNeverBeatsTheOptimumBelow(@ForAll long seed) {
    Network net = randomNetwork(seed, 20);
    assertThat(HyPar.plan(net, 1).totalElements())
        .isCloseTo(Exhaustive.optimal(net, 1).totalElements(), within(1e-6));
    assertThat(HyPar.plan(net, 4).totalElements())
        .isGreaterThanOrEqualTo(Exhaustive.optimal(net, 4).totalElements() * (1 - 1e-12));
  }
}
