package dev.weft.simulator.cost;

import dev.weft.simulator.calibration.HardwareProfile;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A machine for the roofline: peak product rate, memory bandwidth, a fixed per-step overhead, and
 * the element sizes it serves with. GPUs come from their spec sheets and are labelled modelled;
 * "cpu" comes from {@code weft profile --hardware} and is labelled measured.
 *
 * @param name short name for flags ("a100", "h100", "h200", "cpu")
 * @param peakFlopsPerSecond dense product rate at the serving precision
 * @param bytesPerSecond memory bandwidth
 * @param stepOverheadNanos fixed cost of one step (kernel launches, framework)
 * @param computeEfficiency fraction of the peak product rate a step reaches
 * @param bandwidthEfficiency fraction of the bandwidth a step reaches
 * @param bytesPerElement weight and KV element size at the serving precision
 * @param memoryBytes memory for weights and KV cache
 * @param source where the numbers come from, with "measured" or "modelled"
 */
public record HardwareSpec(
    String name,
    double peakFlopsPerSecond,
    double bytesPerSecond,
    double stepOverheadNanos,
    double computeEfficiency,
    double bandwidthEfficiency,
    int bytesPerElement,
    long memoryBytes,
    String source) {

  /**
   * Efficiencies assumed for GPUs (modelled, not measured): 60% of dense peak for products, 80% of
   * bandwidth for streaming weights and KV; 30 us per step of launches and host work.
   */
  static final double GPU_COMPUTE_EFFICIENCY = 0.6;

  static final double GPU_BANDWIDTH_EFFICIENCY = 0.8;
  static final double GPU_STEP_OVERHEAD_NANOS = 30_000;

  public static final HardwareSpec A100 =
      gpu(
          "a100",
          312e12,
          2.039e12,
          80L << 30,
          "NVIDIA A100 SXM4 80GB spec sheet: 312 TFLOPS BF16 dense, 2039 GB/s");
  public static final HardwareSpec H100 =
      gpu(
          "h100",
          989e12,
          3.35e12,
          80L << 30,
          "NVIDIA H100 SXM5 80GB spec sheet: 989 TFLOPS BF16 dense, 3.35 TB/s");
  public static final HardwareSpec H200 =
      gpu(
          "h200",
          989e12,
          4.8e12,
          141L << 30,
          "NVIDIA H200 SXM 141GB spec sheet: 989 TFLOPS BF16 dense, 4.8 TB/s");

  public HardwareSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    if (!(peakFlopsPerSecond > 0) || !(bytesPerSecond > 0) || !(stepOverheadNanos >= 0)) {
      throw new IllegalArgumentException(name + ": rates must be > 0 and overhead >= 0");
    }
    if (!(computeEfficiency > 0 && computeEfficiency <= 1)
        || !(bandwidthEfficiency > 0 && bandwidthEfficiency <= 1)) {
      throw new IllegalArgumentException(name + ": efficiencies must be in (0, 1]");
    }
    if (bytesPerElement < 1 || memoryBytes < 1) {
      throw new IllegalArgumentException(name + ": element size and memory must be >= 1");
    }
  }

  private static HardwareSpec gpu(String name, double flops, double bw, long mem, String sheet) {
    return new HardwareSpec(
        name,
        flops,
        bw,
        GPU_STEP_OVERHEAD_NANOS,
        GPU_COMPUTE_EFFICIENCY,
        GPU_BANDWIDTH_EFFICIENCY,
        2,
        mem,
        "modelled from " + sheet + "; assumed 60% compute / 80% bandwidth efficiency, 30 us/step");
  }

  /**
   * This CPU as {@code weft profile --hardware} measured it: the best product rate at any shape and
   * the measured read bandwidth (efficiency 1: they are already what the engine gets), and a step
   * overhead of {@code opsPerStep} engine operations.
   */
  public static HardwareSpec measured(HardwareProfile p, int opsPerStep) {
    return new HardwareSpec(
        "cpu",
        p.peakFlopsPerSecond(),
        p.memoryBytesPerSecond(),
        p.opOverheadNanos() * opsPerStep,
        1,
        1,
        4,
        Runtime.getRuntime().maxMemory(),
        String.format(
            Locale.ROOT,
            "measured on %s: %.1f GFLOP/s best product rate, %.1f GB/s read, %.1f us/op",
            p.machine().describe(),
            p.peakFlopsPerSecond() / 1e9,
            p.memoryBytesPerSecond() / 1e9,
            p.opOverheadNanos() / 1e3));
  }

  public static List<String> gpuNames() {
    return List.of("a100", "h100", "h200");
  }

  /** The GPU named {@code name}. */
  public static HardwareSpec gpu(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "a100":
        return A100;
      case "h100":
        return H100;
      case "h200":
        return H200;
      default:
        throw new IllegalArgumentException(
            "unknown hardware '"
                + name
                + "': expected a100, h100, h200 or cpu (with --hardware-profile)");
    }
  }
}
