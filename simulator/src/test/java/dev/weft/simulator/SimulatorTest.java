package dev.weft.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.ServingConfig;
import dev.weft.simulator.calibration.ModelShape;
import dev.weft.simulator.cost.HardwareSpec;
import dev.weft.simulator.cost.RooflineCostModel;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.metrics.ServingMetrics;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.Workloads;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  static final ModelShape SHAPE = new ModelShape("15M", 288, 6, 6, 6, 768, 32000, 4096);

  /** 2 ms + 50 us per token + 20 us per sample, 100 us trailing. */
  static final CostModel LINEAR =
      new CostModel() {
        @Override
        public StepTiming predict(long step, StepShape s) {
          return new StepTiming(2_000_000 + 50_000L * s.tokens() + 20_000L * s.samples(), 100_000);
        }

        @Override
        public String describe() {
          return "test";
        }
      };

  static ServingConfig config(int blocks) {
    return new ServingConfig(SchedulerConfig.of(16, 256, 4096, 1024), CacheConfig.of(16, blocks));
  }

  @Test
  void sameSeedWorkloadAndConfigGiveIdenticalOutput() {
    Workload w = Workloads.synthetic(300, 200, 40, 20, 2.0, 1, 42, 32000);
    SimulationResult a = new Simulator(config(200), LINEAR).run(w);
    SimulationResult b = new Simulator(config(200), LINEAR).run(w);
    assertThat(a.requests()).isEqualTo(b.requests());
    assertThat(a.steps()).isEqualTo(b.steps());
    assertThat(a.metrics().table()).isEqualTo(b.metrics().table());
    // and a different seed gives a different run
    Workload other = Workloads.synthetic(300, 200, 40, 20, 2.0, 1, 43, 32000);
    assertThat(new Simulator(config(200), LINEAR).run(other).requests()).isNotEqualTo(a.requests());
  }

  @Test
  void everyRequestGetsItsTokensAndTimesFollowTheCostModel() {
    Workload w = Workloads.synthetic(50, 100, 10, 5, 1.0, 1, 7, 32000);
    SimulationResult r = new Simulator(config(500), LINEAR).run(w);
    ServingMetrics m = r.metrics();
    assertThat(m.completed()).isEqualTo(50);
    assertThat(m.outputTokens()).isEqualTo(500);
    for (RequestTiming t : r.requests()) {
      assertThat(t.outputTokens()).isEqualTo(10);
      assertThat(t.tokenNanos()[0]).isGreaterThan(t.sentNanos());
    }
    // A lone request: prefill of 100 tokens (one step), then 9 decode steps.
    Workload one = Workloads.synthetic(1, 100, 10, 1, 1.0, 1, 7, 32000);
    RequestTiming t = new Simulator(config(500), LINEAR).run(one).requests().get(0);
    long prefill = 2_000_000 + 50_000L * 100 + 20_000;
    long decode = 2_000_000 + 50_000 + 20_000;
    assertThat(t.tokenNanos()[0]).isEqualTo(prefill);
    assertThat(t.tokenNanos()[1]).isEqualTo(prefill + 100_000 + decode);
    assertThat(t.endNanos()).isEqualTo(prefill + 9 * (100_000 + decode));
  }

  @Test
  void closedLoopKeepsAtMostNClientsInFlight() {
    Workload open = Workloads.synthetic(40, 50, 8, 1000, 1.0, 1, 3, 32000);
    SimulationResult r = new Simulator(config(500), LINEAR).run(Workloads.closedLoop(open, 4));
    assertThat(r.metrics().completed()).isEqualTo(40);
    List<RequestTiming> timings = r.requests();
    for (RequestTiming t : timings) {
      long inFlight =
          timings.stream()
              .filter(o -> o.sentNanos() <= t.sentNanos() && o.endNanos() > t.sentNanos())
              .count();
      assertThat(inFlight).isLessThanOrEqualTo(4);
    }
    assertThat(r.steps().stream().mapToInt(s -> s.numSequences()).max().orElseThrow())
        .isLessThanOrEqualTo(4);
  }

  @Test
  void smallerKvPoolPreemptsAndSlowsTheSameWorkload() {
    Workload w = Workloads.synthetic(200, 300, 100, 50, 1.0, 1, 5, 32000);
    SimulationResult big = new Simulator(config(2000), LINEAR).run(w);
    SimulationResult small = new Simulator(config(60), LINEAR).run(w);
    assertThat(small.steps().stream().mapToInt(s -> s.numPreempted()).sum()).isPositive();
    assertThat(small.metrics().e2eMs().mean()).isGreaterThan(big.metrics().e2eMs().mean());
    assertThat(small.metrics().completed()).isEqualTo(200);
  }

  @Test
  void rooflineGpusAreFasterThanEachOtherInSpecOrder() {
    Workload w = Workloads.synthetic(200, 500, 100, 40, 1.0, 1, 5, 32000);
    double a100 =
        new Simulator(config(2000), new RooflineCostModel(HardwareSpec.A100, SHAPE))
            .run(w)
            .metrics()
            .tpotMs()
            .mean();
    double h200 =
        new Simulator(config(2000), new RooflineCostModel(HardwareSpec.H200, SHAPE))
            .run(w)
            .metrics()
            .tpotMs()
            .mean();
    assertThat(h200).isLessThan(a100);
  }
}
