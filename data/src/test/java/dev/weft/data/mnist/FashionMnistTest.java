package dev.weft.data.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  @TempDir Path dir;

  @Test
  void loadsTheDebianPackageFiles() throws IOException {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist not installed");
    ImageDataset train = FashionMnist.train(FashionMnist.DEFAULT_DIR);
    ImageDataset test = FashionMnist.test(FashionMnist.DEFAULT_DIR);
    assertThat(train.size()).isEqualTo(60_000);
    assertThat(test.size()).isEqualTo(10_000);
    assertThat(train.rows()).isEqualTo(28);
    assertThat(train.cols()).isEqualTo(28);
    // Fashion-MNIST is balanced: 6,000 training images per class.
    int[] counts = new int[10];
    for (int y : train.labels()) {
      counts[y]++;
    }
    assertThat(counts).containsOnly(6000);
    // Standardization: the training pixels have mean ~0 and std ~1.
    double sum = 0;
    double sq = 0;
    for (float p : train.pixels()) {
      sum += p;
      sq += p * p;
    }
    double mean = sum / train.pixels().length;
    assertThat(mean).isBetween(-0.01, 0.01);
    assertThat(Math.sqrt(sq / train.pixels().length - mean * mean)).isBetween(0.99, 1.01);
  }

  @Test
  void plainAndGzippedFilesLoadTheSame() throws IOException {
    Path plain = Files.createDirectory(dir.resolve("plain"));
    Path gz = Files.createDirectory(dir.resolve("gz"));
    byte[] images = images(3, 2, 2, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
    byte[] labels = labels(new byte[] {1, 9, 0});
    Files.write(plain.resolve("train-images-idx3-ubyte"), images);
    Files.write(plain.resolve("train-labels-idx1-ubyte"), labels);
    Files.write(gz.resolve("train-images-idx3-ubyte.gz"), gzip(images));
    Files.write(gz.resolve("train-labels-idx1-ubyte.gz"), gzip(labels));

    ImageDataset a = FashionMnist.train(plain);
    ImageDataset b = FashionMnist.train(gz);
    assertThat(a.labels()).containsExactly(1, 9, 0);
    assertThat(b.labels()).containsExactly(1, 9, 0);
    assertThat(Arrays.equals(a.pixels(), b.pixels())).isTrue();
    assertThat(a.pixels()[11]).isEqualTo((1f - FashionMnist.MEAN) / FashionMnist.STD);
  }

  @Test
  void truncatedGzipNamesTheFile() throws IOException {
    byte[] images = images(3, 2, 2, new byte[12]);
    byte[] zipped = gzip(images);
    Path file = dir.resolve("train-images-idx3-ubyte.gz");
    Files.write(file, Arrays.copyOf(zipped, zipped.length / 2));
    Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> FashionMnist.train(dir))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void badMagicNamesTheFile() throws IOException {
    Path file = dir.resolve("train-images-idx3-ubyte");
    Files.writeString(file, "this is not an idx file at all");
    Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(new byte[] {1}));
    assertThatThrownBy(() -> FashionMnist.train(dir))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not an unsigned-byte IDX file");
  }

  @Test
  void labelCountMismatchIsReported() throws IOException {
    Files.write(dir.resolve("train-images-idx3-ubyte"), images(3, 2, 2, new byte[12]));
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    Files.write(labels, labels(new byte[] {1, 2}));
    assertThatThrownBy(() -> FashionMnist.train(dir))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(labels.toString());
  }

  @Test
  void missingDirectoryAndFilesAreNamed() {
    assertThatThrownBy(() -> FashionMnist.test(dir.resolve("nope")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> FashionMnist.test(dir))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("t10k-images-idx3-ubyte");
  }

  @Test
  void shardsAreEqualDisjointSlices() {
    float[] px = new float[10 * 4];
    int[] y = new int[10];
    for (int i = 0; i < 10; i++) {
      y[i] = i % 3;
      Arrays.fill(px, i * 4, i * 4 + 4, i);
    }
    ImageDataset all = new ImageDataset(px, y, 2, 2, 3);
    ImageDataset s0 = all.shard(0, 3);
    ImageDataset s2 = all.shard(2, 3);
    assertThat(s0.size()).isEqualTo(3);
    assertThat(s2.size()).isEqualTo(3);
    assertThat(s0.pixels()[0]).isEqualTo(0f);
    assertThat(s2.pixels()[0]).isEqualTo(6f);
    assertThatThrownBy(() -> all.shard(3, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] images(int n, int rows, int cols, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000803);
    out.writeInt(n);
    out.writeInt(rows);
    out.writeInt(cols);
    out.write(data);
    return bytes.toByteArray();
  }

  static byte[] labels(byte[] y) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000801);
    out.writeInt(y.length);
    out.write(y);
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }
}
