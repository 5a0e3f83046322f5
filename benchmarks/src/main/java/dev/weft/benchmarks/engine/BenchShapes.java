package dev.weft.benchmarks.engine;

import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaConfig.RopeStyle;

/** The model shapes the engine benchmark measures. */
final class BenchShapes {

  private BenchShapes() {}

  /** llama2.c's stories15M shape with a 4096-token context. */
  static final LlamaConfig STORIES_15M =
      new LlamaConfig(288, 768, 6, 6, 6, 32000, 4096, 10000, 1e-5, true, RopeStyle.INTERLEAVED);

  /** llama2.c's stories110M shape with a 4096-token context. */
  static final LlamaConfig STORIES_110M =
      new LlamaConfig(768, 2048, 12, 12, 12, 32000, 4096, 10000, 1e-5, true, RopeStyle.INTERLEAVED);

  static LlamaConfig named(String name) {
    return switch (name) {
      case "15M" -> STORIES_15M;
      case "110M" -> STORIES_110M;
      default -> throw new IllegalArgumentException("unknown shape " + name + " (15M, 110M)");
    };
  }
}
