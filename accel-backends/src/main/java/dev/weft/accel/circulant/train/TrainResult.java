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
 */
public record TrainResult(
    TrainConfig config,
    double evalLoss,
    double evalAccuracy,
    Double accuracyAfterProjection,
    double admmGap,
    long parameters,
    double seconds) {}
