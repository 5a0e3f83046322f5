package dev.weft.trainer.hypar;

/**
 * One layer's tensor sizes as one group of accelerators sees them after the higher hierarchy
 * levels' partitioning: {@code batch} samples, {@code inChannels} input channels (rows of the
 * weight), {@code outChannels}, spatial sizes and the kernel area. Sizes are real numbers, as in
 * the paper: halving a batch of 100 four times gives 6.25.
 */
public record Part(
    double batch,
    double inChannels,
    double outChannels,
    double inPixels,
    double outPixels,
    double kernelArea) {

  public Part {
    if (!(batch > 0 && inChannels > 0 && outChannels > 0)) {
      throw new IllegalArgumentException("part sizes must be positive");
    }
  }

  public static Part of(Layer l, int batch) {
    return new Part(
        batch,
        l.in().channels(),
        l.out().channels(),
        l.in().pixels(),
        l.out().pixels(),
        (double) l.kernel() * l.kernel());
  }

  /** A(ΔW) = A(W): the weight (gradient) tensor. */
  public double weights() {
    return inChannels * outChannels * kernelArea;
  }

  /** A(F_l) = A(E_l): the layer's input feature map (and the error that flows back into it). */
  public double input() {
    return batch * inChannels * inPixels;
  }

  /** A(F_{l+1}): the layer's output feature map. */
  public double output() {
    return batch * outChannels * outPixels;
  }

  /**
   * This group's half after choosing {@code c}: data parallelism halves the batch; model
   * parallelism halves the weight's input rows and with them the input feature map's channels.
   */
  public Part split(Choice c) {
    return c == Choice.DP
        ? new Part(batch / 2, inChannels, outChannels, inPixels, outPixels, kernelArea)
        : new Part(batch, inChannels / 2, outChannels, inPixels, outPixels, kernelArea);
  }
}
