package dev.weft.simulator.calibration;

import java.util.List;
import java.util.Objects;

/**
 * What {@code weft profile --hardware} measured of this machine through the engine.
 *
 * @param version {@link #VERSION}
 * @param machine where it ran
 * @param command the command that produced it
 * @param created ISO-8601 time
 * @param memoryBytesPerSecond read bandwidth of a large array sum
 * @param matmuls matrix-product times by shape
 * @param opOverheadNanos the engine's fixed cost of one small operation
 */
public record HardwareProfile(
    int version,
    MachineInfo machine,
    String command,
    String created,
    double memoryBytesPerSecond,
    List<Matmul> matmuls,
    double opOverheadNanos) {

  /** Format version of hardware profiles (independent of calibration files' version). */
  public static final int VERSION = 1;

  /** Median seconds of {@code [rows, in] x [in, out]}. */
  public record Matmul(int rows, int in, int out, double seconds) {
    public Matmul {
      if (rows < 1 || in < 1 || out < 1 || !(seconds > 0)) {
        throw new IllegalArgumentException("matmul sample needs positive dims and time");
      }
    }

    public double flopsPerSecond() {
      return 2.0 * rows * in * out / seconds;
    }
  }

  public HardwareProfile {
    Objects.requireNonNull(machine, "machine");
    matmuls = List.copyOf(matmuls);
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "hardware profile version " + version + "; this Weft reads " + VERSION);
    }
    if (!(memoryBytesPerSecond > 0) || matmuls.isEmpty() || !(opOverheadNanos >= 0)) {
      throw new IllegalArgumentException(
          "hardware profile needs a bandwidth > 0, >= 1 matmul sample and an op overhead >= 0");
    }
  }

  /** The best product rate measured at any shape. */
  public double peakFlopsPerSecond() {
    return matmuls.stream().mapToDouble(Matmul::flopsPerSecond).max().orElseThrow();
  }
}
