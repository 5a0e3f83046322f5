package dev.weft.accel.graph;

/**
 * Settings a backend may use when it prepares a graph.
 *
 * @param threads worker threads for parallel backends (java); others ignore it
 * @param tileSize the crossbar edge C for the tiles backend (GraphR: 8)
 */
public record BackendOptions(int threads, int tileSize) {

  public BackendOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    if (tileSize < 1 || tileSize > 4096) {
      throw new IllegalArgumentException("tileSize must be in 1..4096: " + tileSize);
    }
  }

  public static BackendOptions defaults() {
    return new BackendOptions(Runtime.getRuntime().availableProcessors(), 8);
  }

  public BackendOptions withThreads(int value) {
    return new BackendOptions(value, tileSize);
  }
}
