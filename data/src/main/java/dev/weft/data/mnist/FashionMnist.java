package dev.weft.data.mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao et al. 2017) from the four standard IDX files. The Debian package {@code
 * dataset-fashion-mnist} installs them gzipped under {@link #DEFAULT_DIR}; any directory holding
 * the same names, gzipped or not, works.
 */
public final class FashionMnist {

  /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  public static final int CLASSES = 10;

  // Training-set statistics of the [0,1]-scaled pixels, so inputs are roughly standardized.
  static final float MEAN = 0.2860f;
  static final float STD = 0.3530f;

  private FashionMnist() {}

  /** The 60,000 training images. */
  public static ImageDataset train(Path dir) throws IOException {
    return load(dir, "train");
  }

  /** The 10,000 test images. */
  public static ImageDataset test(Path dir) throws IOException {
    return load(dir, "t10k");
  }

  private static ImageDataset load(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(
          dir.toString(),
          null,
          "not a directory with Fashion-MNIST IDX files (install Debian package"
              + " dataset-fashion-mnist or pass the directory holding "
              + prefix
              + "-images-idx3-ubyte[.gz])");
    }
    Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
    Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
    IdxFile images = IdxFile.read(imagesFile);
    IdxFile labels = IdxFile.read(labelsFile);
    int[] d = images.dims();
    if (d.length != 3) {
      throw new DatasetFormatException(
          imagesFile, "expected 3 dims (n, rows, cols), got " + d.length);
    }
    if (labels.dims().length != 1 || labels.dims()[0] != d[0]) {
      throw new DatasetFormatException(
          labelsFile, "expected " + d[0] + " labels to match " + imagesFile.getFileName());
    }
    byte[] raw = images.data();
    float[] pixels = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      pixels[i] = ((raw[i] & 0xff) / 255f - MEAN) / STD;
    }
    byte[] rawLabels = labels.data();
    int[] y = new int[rawLabels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = rawLabels[i] & 0xff;
      if (y[i] >= CLASSES) {
        throw new DatasetFormatException(labelsFile, "label " + y[i] + " at index " + i + " >= 10");
      }
    }
    return new ImageDataset(pixels, y, d[1], d[2], CLASSES);
  }

  private static Path find(Path dir, String name) throws NoSuchFileException {
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    throw new NoSuchFileException(
        gz.toString(), null, "Fashion-MNIST file missing (nor " + name + ")");
  }
}
