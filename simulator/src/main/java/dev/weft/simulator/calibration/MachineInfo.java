package dev.weft.simulator.calibration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The machine a measurement ran on.
 *
 * @param cpuModel from /proc/cpuinfo where readable, else "unknown"
 * @param cpus processors available to the JVM
 * @param os operating system name and version
 * @param arch CPU architecture
 * @param java Java runtime version
 */
public record MachineInfo(String cpuModel, int cpus, String os, String arch, String java) {
  public MachineInfo {
    Objects.requireNonNull(cpuModel, "cpu model");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(java, "java");
    if (cpus < 1) {
      throw new IllegalArgumentException("cpus is " + cpus + ", must be >= 1");
    }
  }

  /** This machine. */
  public static MachineInfo current() {
    String model = "unknown";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).strip();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it unknown
    }
    return new MachineInfo(
        model,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"));
  }

  public String describe() {
    return cpuModel + ", " + cpus + " CPUs, " + os + " " + arch + ", Java " + java;
  }
}
