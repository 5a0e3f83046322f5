package dev.weft.data.graph;

/** Whether vertex ids in a file start at 0 (SNAP, GAP .el) or at 1 (Matrix Market, DIMACS). */
public enum IdBase {
  ZERO(0),
  ONE(1);

  private final int offset;

  IdBase(int offset) {
    this.offset = offset;
  }

  /** The smallest legal id in the file; subtracted to get a 0-based vertex. */
  public int offset() {
    return offset;
  }
}
