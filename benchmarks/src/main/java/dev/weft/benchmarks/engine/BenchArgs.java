package dev.weft.benchmarks.engine;

import java.nio.file.Path;
import java.util.List;

/** The engine benchmark's command line. */
record BenchArgs(Path out, Path work, Path models, List<String> shapes, Path runc, String command) {

  static BenchArgs parse(String[] args) {
    Path out = Path.of("benchmarks/results/engine");
    Path work = Path.of("benchmarks/work");
    Path models = Path.of("../shared/models");
    List<String> shapes = List.of("stories260K", "15M", "110M");
    Path runc = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--out" -> out = Path.of(require(args[i], value));
        case "--work" -> work = Path.of(require(args[i], value));
        case "--models" -> models = Path.of(require(args[i], value));
        case "--shapes" -> shapes = List.of(require(args[i], value).split(","));
        case "--runc" -> runc = Path.of(require(args[i], value));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    return new BenchArgs(out, work, models, shapes, runc, String.join(" ", args));
  }

  private static String require(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}
