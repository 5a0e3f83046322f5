package dev.weft.accel.graph;

/**
 * Factors per vertex (row v is F[v·rank .. +rank): users first, then items) and the training RMSE
 * before the first and after the last iteration.
 */
public record CfResult(double[] factors, int rank, double initialRmse, double finalRmse) {}
