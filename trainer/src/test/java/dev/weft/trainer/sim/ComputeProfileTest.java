package dev.weft.trainer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.trainer.metrics.IterationRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drawing compute times, with and without the calibration run's time course. */
class ComputeProfileTest {

  /** Iterations 0..99 took 10 ms each, 100..199 took 2 ms: a worker that got faster. */
  private static ComputeProfile speedingUp(int window) {
    long[] nanos = new long[200];
    long[] iterations = new long[200];
    for (int i = 0; i < 200; i++) {
      iterations[i] = i;
      nanos[i] = i < 100 ? 10_000_000L : 2_000_000L;
    }
    return new ComputeProfile(nanos, window > 0 ? iterations : new long[0], window, 0);
  }

  @Test
  void aWindowKeepsTheRunsTimeCourse() {
    ComputeProfile p = speedingUp(20);
    Random random = new Random(1);
    for (int k = 0; k < 200; k++) {
      assertThat(p.draw(10, random).toMillis()).isEqualTo(10);
      assertThat(p.draw(150, random).toMillis()).isEqualTo(2);
      // Beyond the run's end: its last 20 iterations.
      assertThat(p.draw(5_000, random).toMillis()).isEqualTo(2);
    }
  }

  @Test
  void aWindowDrawsEveryIterationOfItsRange() {
    long[] nanos = new long[100];
    long[] iterations = new long[100];
    for (int i = 0; i < 100; i++) {
      iterations[i] = i;
      nanos[i] = i;
    }
    ComputeProfile p = new ComputeProfile(nanos, iterations, 10, 0);
    Random random = new Random(2);
    java.util.Set<Long> seen = new java.util.TreeSet<>();
    for (int k = 0; k < 2_000; k++) {
      seen.add(p.draw(50, random).toNanos());
    }
    assertThat(seen).containsExactly(45L, 46L, 47L, 48L, 49L, 50L, 51L, 52L, 53L, 54L);
  }

  @Test
  void withoutAWindowEveryIterationDrawsFromTheWholeRun() {
    ComputeProfile p = speedingUp(0);
    Random random = new Random(3);
    long slow = 0;
    for (int k = 0; k < 1_000; k++) {
      if (p.draw(150, random).toMillis() == 10) {
        slow++;
      }
    }
    assertThat(slow).isBetween(400L, 600L);
  }

  @Test
  void metricsKeepTheirIterations(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    StringBuilder sb =
        new StringBuilder(
            "rank,iteration,epoch,wall_seconds,loss,compute_seconds,wait_seconds,bytes_sent\n");
    double[] wall = new double[2];
    for (int i = 0; i < 100; i++) {
      for (int r = 0; r < 2; r++) {
        // Periods of 30 ms (2 of them waiting) for the first half, 6 ms (1 waiting) after.
        double period = i < 50 ? 0.030 : 0.006;
        double wait = i < 50 ? 0.002 : 0.001;
        wall[r] += period;
        sb.append(
            String.format(
                java.util.Locale.ROOT, "%d,%d,0,%.6f,1.0,0.001,%.6f,0%n", r, i, wall[r], wait));
      }
    }
    Files.writeString(csv, sb);
    ComputeProfile p = ComputeProfile.fromMetrics(csv, Set.of(), 10);
    Random random = new Random(4);
    assertThat(p.draw(20, random).toNanos()).isCloseTo(28_000_000L, within(1_000L));
    assertThat(p.draw(80, random).toNanos()).isCloseTo(5_000_000L, within(1_000L));
  }

  @Test
  void eachRankCanKeepItsOwnRhythm(@TempDir Path dir) throws IOException {
    // Rank 0 takes 20 ms per iteration (half of it waiting), rank 1 takes 4 ms, rank 2 is slowed.
    Path csv = dir.resolve("metrics.csv");
    StringBuilder sb = new StringBuilder(IterationRecord.CSV_HEADER + "\n");
    double[] period = {0.020, 0.004, 0.050};
    double[] wait = {0.010, 0.0, 0.0};
    for (int i = 0; i < 50; i++) {
      for (int r = 0; r < 3; r++) {
        sb.append(new IterationRecord(r, i, 0, period[r] * (i + 1), 1, 0, wait[r], 0).toCsv())
            .append('\n');
      }
    }
    Files.writeString(csv, sb);
    ComputeProfile.Calibration real = ComputeProfile.calibrate(csv, Set.of(2), 10);
    assertThat(real.workers()).isEqualTo(3);
    Map<Integer, ComputeProfile> byRank = real.byRank();
    assertThat(byRank).containsOnlyKeys(0, 1);
    Random random = new Random(5);
    assertThat(byRank.get(0).draw(25, random).toNanos()).isCloseTo(10_000_000L, within(1_000L));
    assertThat(byRank.get(1).draw(25, random).toNanos()).isCloseTo(4_000_000L, within(1_000L));
  }

  private static org.assertj.core.data.Offset<Long> within(long nanos) {
    return org.assertj.core.data.Offset.offset(nanos);
  }

  @Test
  void aWindowNeedsIterationsInOrder() {
    assertThatThrownBy(() -> new ComputeProfile(new long[] {1, 2}, new long[0], 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("iterations");
    assertThatThrownBy(() -> new ComputeProfile(new long[] {1, 2}, new long[] {3, 1}, 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ascending");
    assertThatThrownBy(() -> new ComputeProfile(new long[] {1, 2}, new long[] {1, 2}, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
  }
}
