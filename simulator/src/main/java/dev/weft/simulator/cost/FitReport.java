package dev.weft.simulator.cost;

import java.util.List;

/**
 * How a fitted cost model was chosen and how well it predicts.
 *
 * @param form the chosen form
 * @param candidates each candidate form with its leave-one-point-out error on the training points
 * @param crossValidationErrorPercent the chosen form's leave-one-point-out mean relative error
 * @param heldOutPoints sweep points held out of fitting and choosing
 * @param heldOutSteps steps in them
 * @param heldOutMeanErrorPercent mean relative error of a step's busy time on the held-out steps
 * @param heldOutTotalErrorPercent relative error of the held-out steps' summed busy time
 */
public record FitReport(
    String form,
    List<String> candidates,
    double crossValidationErrorPercent,
    int heldOutPoints,
    int heldOutSteps,
    double heldOutMeanErrorPercent,
    double heldOutTotalErrorPercent) {
  public FitReport {
    candidates = List.copyOf(candidates);
  }
}
