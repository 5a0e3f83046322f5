package dev.weft.simulator.calibration;

import java.util.List;
import java.util.Objects;

/**
 * A profile sweep's result: the versioned calibration file the simulator's fitted cost model reads.
 *
 * @param version {@link #VERSION}
 * @param model the profiled model's shape
 * @param blockSize the KV block size the sweep ran with
 * @param machine where it ran
 * @param command the command that produced it
 * @param created ISO-8601 time of the sweep
 * @param steps every measured step
 */
public record Calibration(
    int version,
    ModelShape model,
    int blockSize,
    MachineInfo machine,
    String command,
    String created,
    List<StepSample> steps) {

  public static final int VERSION = 2;

  public Calibration {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(created, "created");
    steps = List.copyOf(steps);
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "calibration format version " + version + "; this Weft reads version " + VERSION);
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size is " + blockSize + ", must be >= 1");
    }
    if (steps.size() < 8) {
      throw new IllegalArgumentException(
          "a calibration needs >= 8 measured steps to fit, has " + steps.size());
    }
  }
}
