package dev.weft.accel.circulant.train;

/**
 * What a training run reached on the held-out data.
 *
 * @param evalLoss mean cross-entropy (nats per prediction)
 * @param evalAccuracy fraction of arg-max predictions that are right
 * @param accuracyAfterProjection ADMM only: accuracy right after the hard projection, before
 *     fine-tuning (null otherwise)
 * @param admmGap ADMM only: ‖W − Π(W)‖/‖W‖ when ADMM ended (NaN otherwise)
 * @param parameters weights the trained model stores
 * @param model the trained model (its parameters live in the manager the run was given)
 */
public record TrainResult(
    TrainConfig config,
    double evalLoss,
    double evalAccuracy,
    Double accuracyAfterProjection,
    double admmGap,
    long parameters,
    double seconds,
    ai.djl.nn.Block model) {}
