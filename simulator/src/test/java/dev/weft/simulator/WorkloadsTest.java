package dev.weft.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.data.trace.TraceRequest;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.WorkloadRequest;
import dev.weft.simulator.workload.Workloads;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class WorkloadsTest {

  @Test
  void traceArrivalsAreDividedByTheTimeScaleAndLongRequestsClipped() {
    List<TraceRequest> trace =
        List.of(
            new TraceRequest(0, 100, 10),
            new TraceRequest(2_000_000_000L, 1000, 50),
            new TraceRequest(3_000_000_000L, 10, 900));
    Workload w = Workloads.fromTrace(trace, 2, 1024, 1, 32000);
    assertThat(w.requests())
        .containsExactly(
            new WorkloadRequest("r0", 0, 100, 10, 0),
            new WorkloadRequest("r1", 1_000_000_000L, 1024 - 50 - 1, 50, 0),
            new WorkloadRequest("r2", 1_500_000_000L, 10, 512, 0));
    assertThat(Workloads.clipped(trace, 1024)).isEqualTo(2);
    assertThat(w.promptOf(1)).hasSize(973).isEqualTo(w.promptOf(1));
    assertThatThrownBy(() -> Workloads.fromTrace(trace, 0, 1024, 1, 32000))
        .hasMessageContaining("time scale is 0.0");
  }

  @Test
  void syntheticArrivalsHaveTheAskedRateAndBurstiness() {
    for (double cv : new double[] {0.5, 1, 3}) {
      Workload w = Workloads.synthetic(20_000, 10, 10, 50, cv, 1, 9, 32000);
      List<WorkloadRequest> r = w.requests();
      double[] gaps = new double[r.size() - 1];
      double sum = 0;
      for (int i = 1; i < r.size(); i++) {
        gaps[i - 1] = (r.get(i).arrivalNanos() - r.get(i - 1).arrivalNanos()) / 1e9;
        sum += gaps[i - 1];
      }
      double mean = sum / gaps.length;
      double var = 0;
      for (double g : gaps) {
        var += (g - mean) * (g - mean);
      }
      double measuredCv = Math.sqrt(var / gaps.length) / mean;
      assertThat(1 / mean).isCloseTo(50, Percentage.withPercentage(5));
      assertThat(measuredCv).isCloseTo(cv, Percentage.withPercentage(8));
    }
  }
}
