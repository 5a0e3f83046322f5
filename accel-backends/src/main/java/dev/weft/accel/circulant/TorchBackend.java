package dev.weft.accel.circulant;

/**
 * PyTorch through DJL: {@code rfft} of the blocks, one batched complex matmul over frequencies,
 * {@code irfft}. Threads are PyTorch's intra-op pool (set with {@code ai.djl.pytorch.num_threads});
 * {@link KernelOptions#threads()} is not applied per kernel.
 */
public final class TorchBackend implements CirculantBackend {

  @Override
  public String name() {
    return "pytorch";
  }

  @Override
  public String description() {
    return "PyTorch via DJL: rfft, complex batched matmul over frequencies, irfft";
  }

  @Override
  public CirculantKernel prepare(BlockCirculantMatrix matrix, KernelOptions options) {
    return new TorchFftKernel(matrix);
  }

  @Override
  public DenseKernel prepareDense(BlockCirculantMatrix matrix, KernelOptions options) {
    return new TorchDenseKernel(matrix);
  }
}
