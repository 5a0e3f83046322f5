package dev.weft.accel.graph;

/**
 * Which way values flow along an edge s→d. FORWARD: from s into d (y = Aᵀx in matrix terms, rows
 * are sources). BACKWARD: from d into s (y = Ax), used for weak components of a directed graph and
 * for the item→user half of collaborative filtering.
 */
public enum Direction {
  FORWARD,
  BACKWARD
}
