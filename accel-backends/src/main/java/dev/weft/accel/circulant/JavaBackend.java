package dev.weft.accel.circulant;

/**
 * Pure Java: the weight spectra are computed once at prepare time, each product is then one real
 * FFT per input block, a complex multiply-accumulate over blocks, and one inverse FFT per output
 * block, threaded over output blocks. The FFT is this package's {@link RealFft}: JTransforms is not
 * among the Maven artifacts this build may use, and commons-math3's FFT works on boxed
 * double-precision {@code Complex} objects.
 */
public final class JavaBackend implements CirculantBackend {

  @Override
  public String name() {
    return "java";
  }

  @Override
  public String description() {
    return "Java radix-2 real FFT, precomputed weight spectra, threaded over blocks";
  }

  @Override
  public CirculantKernel prepare(BlockCirculantMatrix matrix, KernelOptions options) {
    return new JavaFftKernel(matrix, options.threads());
  }

  @Override
  public DenseKernel prepareDense(BlockCirculantMatrix matrix, KernelOptions options) {
    return new JavaDenseKernel(matrix.toDense(), matrix.rows(), matrix.cols(), options.threads());
  }
}
