package dev.weft.accel.graph;

/** Ranks per vertex, the iterations run and the L1 change of the last one. */
public record PageRankResult(double[] ranks, int iterations, double lastChange) {}
