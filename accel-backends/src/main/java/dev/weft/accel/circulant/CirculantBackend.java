package dev.weft.accel.circulant;

/**
 * A way to multiply by block-circulant matrices, found by {@link java.util.ServiceLoader}.
 * Preparing does the per-matrix work once (dense expansion, weight spectra, an ONNX session); the
 * kernel then runs any number of products. Implementations need a public no-argument constructor.
 */
public interface CirculantBackend {

  /** The name users pass to {@code --backend}. */
  String name();

  /** One line for {@code weft circulant bench --help}. */
  String description();

  /** Prepares {@code matrix} for this backend. The caller closes the kernel. */
  CirculantKernel prepare(BlockCirculantMatrix matrix, KernelOptions options);

  /**
   * The same backend's dense product with the expanded matrix, the baseline a benchmark compares
   * against. The caller closes the kernel.
   */
  DenseKernel prepareDense(BlockCirculantMatrix matrix, KernelOptions options);
}
