package dev.weft.data.mnist;

/**
 * Labelled grayscale images held as normalized float pixels, row-major per image.
 *
 * @param pixels {@code size * rows * cols} values, standardized (mean 0, unit variance over the
 *     Fashion-MNIST training set)
 * @param labels class index per image, in {@code [0, classes)}
 */
public record ImageDataset(float[] pixels, int[] labels, int rows, int cols, int classes) {

  public ImageDataset {
    if (rows <= 0 || cols <= 0 || classes <= 0) {
      throw new IllegalArgumentException("rows, cols and classes must be positive");
    }
    if ((long) labels.length * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + pixels.length + " pixels of " + rows + "x" + cols);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i);
      }
    }
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Pixels per image. */
  public int imageSize() {
    return rows * cols;
  }

  /**
   * Shard {@code rank} of {@code count}: a contiguous, equal-sized slice (the remainder of {@code
   * size % count} images is dropped so that every worker runs the same number of iterations).
   */
  public ImageDataset shard(int rank, int count) {
    if (count <= 0 || rank < 0 || rank >= count) {
      throw new IllegalArgumentException("shard " + rank + " of " + count);
    }
    int per = size() / count;
    if (per == 0) {
      throw new IllegalArgumentException(size() + " images cannot be split over " + count);
    }
    return slice(rank * per, per);
  }

  /** Images {@code [from, from + n)}. */
  public ImageDataset slice(int from, int n) {
    if (from < 0 || n <= 0 || from + n > size()) {
      throw new IllegalArgumentException("slice [" + from + ", " + (from + n) + ") of " + size());
    }
    float[] p = new float[n * imageSize()];
    System.arraycopy(pixels, from * imageSize(), p, 0, p.length);
    int[] l = new int[n];
    System.arraycopy(labels, from, l, 0, n);
    return new ImageDataset(p, l, rows, cols, classes);
  }
}
