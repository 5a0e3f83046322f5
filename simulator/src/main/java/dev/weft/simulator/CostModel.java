package dev.weft.simulator;

/** Predicts how long one step of a given shape takes. */
public interface CostModel {

  /**
   * The step's duration; {@code step} is the loop's step index (only a replay of a recorded run
   * reads it).
   */
  StepTiming predict(long step, StepShape shape);

  /** One line naming the model and where its numbers come from ("measured", "modelled"). */
  String describe();
}
