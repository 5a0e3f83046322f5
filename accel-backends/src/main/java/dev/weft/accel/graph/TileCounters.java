package dev.weft.accel.graph;

/**
 * What the tiles backend streamed: the input to the ReRAM crossbar model. A MAC tile op loads one
 * C×C tile into a crossbar and reads all its columns at once (parallel MAC); an add-op tile loads a
 * tile with at least one active source row, then each active row is one read (GraphR processes one
 * source row at a time in add-op mode).
 */
public final class TileCounters {

  private long macTiles;
  private long addOpTiles;
  private long addOpRows;
  private long edges;
  private long passes;

  void mac(long tiles, long edgeCount) {
    macTiles += tiles;
    edges += edgeCount;
  }

  void addOp(long tiles, long rows, long edgeCount) {
    addOpTiles += tiles;
    addOpRows += rows;
    edges += edgeCount;
  }

  void pass() {
    passes++;
  }

  public long macTiles() {
    return macTiles;
  }

  public long addOpTiles() {
    return addOpTiles;
  }

  public long addOpRows() {
    return addOpRows;
  }

  /** Non-zero cells processed (edges streamed through crossbars). */
  public long edges() {
    return edges;
  }

  /** Passes over the tile stream (one per multiply, relax or spmm). */
  public long passes() {
    return passes;
  }

  public void reset() {
    macTiles = addOpTiles = addOpRows = edges = passes = 0;
  }

  @Override
  public String toString() {
    return "tiles: passes="
        + passes
        + " mac_tiles="
        + macTiles
        + " addop_tiles="
        + addOpTiles
        + " addop_rows="
        + addOpRows
        + " edges="
        + edges;
  }
}
