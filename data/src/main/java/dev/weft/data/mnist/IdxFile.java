package dev.weft.data.mnist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An unsigned-byte IDX file (the format of MNIST and Fashion-MNIST): a big-endian magic {@code
 * 0x0000 08 NDIM}, NDIM big-endian int32 dimensions, then the bytes. Gzipped files are detected by
 * their magic, so both the Debian package's {@code .gz} files and unpacked ones load.
 *
 * @param dims the dimensions, outermost first
 * @param data the values, row-major
 */
public record IdxFile(int[] dims, byte[] data) {

  private static final int UNSIGNED_BYTE = 0x08;
  private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 16;

  public IdxFile {
    dims = dims.clone();
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "dims " + Arrays.toString(dims) + " need " + n + " bytes, got " + data.length);
    }
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** Reads an IDX file, gzipped or plain; every problem names the file. */
  public static IdxFile read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw) : raw)) {
        return parse(file, in);
      } catch (EOFException e) {
        throw new DatasetFormatException(file, "truncated IDX file (ends early)", e);
      } catch (ZipException e) {
        throw new DatasetFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "data set file not found");
    }
  }

  private static IdxFile parse(Path file, DataInputStream in) throws IOException {
    int magic = in.readInt();
    int type = (magic >>> 8) & 0xff;
    int ndim = magic & 0xff;
    if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || ndim < 1 || ndim > 4) {
      throw new DatasetFormatException(
          file,
          String.format(
              "not an unsigned-byte IDX file (magic 0x%08x; expected 0x000008NN with 1-4 dims)",
              magic));
    }
    int[] dims = new int[ndim];
    long n = 1;
    for (int i = 0; i < ndim; i++) {
      dims[i] = in.readInt();
      if (dims[i] <= 0) {
        throw new DatasetFormatException(file, "dimension " + i + " is " + dims[i]);
      }
      n *= dims[i];
      if (n > MAX_ELEMENTS) {
        throw new DatasetFormatException(file, "dimensions " + Arrays.toString(dims) + " too big");
      }
    }
    byte[] data = new byte[(int) n];
    in.readFully(data);
    if (in.read() != -1) {
      throw new DatasetFormatException(
          file, "trailing bytes after " + n + " values of dims " + Arrays.toString(dims));
    }
    return new IdxFile(dims, data);
  }
}
