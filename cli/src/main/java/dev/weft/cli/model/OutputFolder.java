package dev.weft.cli.model;

import dev.weft.engine.hf.Dtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** Shared checks of the model-writing commands: a fresh output folder and a weight dtype. */
final class OutputFolder {

  private OutputFolder() {}

  /** {@code dir} must not exist or be empty: Weft never writes over someone's files. */
  static Path requireFresh(String flag, Path dir) throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(flag + " " + dir + " is a file, not a folder");
      }
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              flag + " " + dir + " is not empty; choose a new folder or empty it first");
        }
      }
    }
    return dir;
  }

  /** f32, bf16 or f16 (any case) as a stored weight type. */
  static Dtype dtype(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "f32", "float32" -> Dtype.F32;
      case "bf16", "bfloat16" -> Dtype.BF16;
      case "f16", "float16" -> Dtype.F16;
      default ->
          throw new IllegalArgumentException("--dtype " + name + " is not one of f32, bf16, f16");
    };
  }

  /** Total size of the files in {@code dir}, for the summary line. */
  static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        total += Files.size(p);
      }
      return total;
    }
  }
}
