package dev.weft.trainer.metrics;

import java.util.List;

/**
 * Looks at every worker's parameters at fixed intervals of training time (wall seconds for real
 * runs, virtual seconds for simulated ones), e.g. to follow the test accuracy of their average.
 */
public interface ParameterProbe {

  /** The interval between observations, seconds. */
  double periodSeconds();

  /**
   * The workers' parameters as they were at {@code seconds}, in rank order. The arrays may be the
   * workers' own: read them, do not keep or change them.
   */
  void observe(double seconds, List<float[]> workerParameters);
}
