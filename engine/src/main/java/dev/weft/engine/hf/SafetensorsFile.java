package dev.weft.engine.hf;

import dev.weft.engine.model.InvalidModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: an 8-byte little-endian header length N, N bytes of JSON naming each tensor's
 * dtype, shape and {@code data_offsets} (relative to the end of the header) plus an optional {@code
 * __metadata__} string map, then the tensors' bytes. Opening validates the header the way the
 * reference implementation does — every tensor inside the file, its byte size equal to its shape
 * times its dtype size, and the tensors tiling the data without overlaps or gaps — so that a header
 * that lies is reported, naming the file and tensor, before anything is read.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** The reference implementation's bound on the header, against absurd lengths. */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final int CHUNK_ELEMENTS = 1 << 26;

  /**
   * One tensor as the header describes it.
   *
   * @param name its name
   * @param dtype its element type
   * @param shape its dimensions
   * @param begin first byte, relative to the start of the data section
   * @param end one past its last byte
   */
  public record Tensor(String name, Dtype dtype, List<Long> shape, long begin, long end) {
    public Tensor {
      shape = List.copyOf(shape);
      if (begin < 0 || end < begin) {
        throw new IllegalArgumentException("bad byte range [" + begin + ", " + end + ")");
      }
    }

    /** Number of elements (the product of the shape). */
    public long elements() {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, String> metadata;
  private final Map<String, Tensor> tensors;

  private SafetensorsFile(
      Path file,
      FileChannel channel,
      long dataStart,
      Map<String, String> metadata,
      Map<String, Tensor> tensors) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.metadata = metadata;
    this.tensors = tensors;
  }

  /** Opens and validates {@code file}; the caller closes it. */
  public static SafetensorsFile open(Path file) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      if (size < Long.BYTES) {
        throw invalid(
            file,
            "not a safetensors file: "
                + size
                + " bytes, shorter than the 8-byte"
                + " header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength < 0 || headerLength > size - Long.BYTES) {
        throw invalid(
            file,
            "header length "
                + Long.toUnsignedString(headerLength)
                + " runs past the end of the file ("
                + size
                + " bytes)");
      }
      if (headerLength > MAX_HEADER_BYTES) {
        throw invalid(
            file,
            "header length "
                + headerLength
                + " exceeds the format's limit of "
                + MAX_HEADER_BYTES
                + " bytes");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, Long.BYTES);
      long dataStart = Long.BYTES + headerLength;
      SafetensorsHeader parsed = SafetensorsHeader.parse(file, header.flip(), size - dataStart);
      SafetensorsFile opened =
          new SafetensorsFile(file, channel, dataStart, parsed.metadata(), parsed.tensors());
      channel = null;
      return opened;
    } catch (IOException e) {
      throw invalid(file, "cannot read: " + e.getMessage());
    } finally {
      closeQuietly(channel);
    }
  }

  public Path file() {
    return file;
  }

  /** The {@code __metadata__} map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Tensors by name, in header order. */
  public Map<String, Tensor> tensors() {
    return java.util.Collections.unmodifiableMap(tensors);
  }

  /** Reads a F32, F16 or BF16 tensor as float32 values, row-major. */
  public float[] readFloats(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw invalid(file, "no tensor " + name);
    }
    if (!t.dtype().isFloatWeight()) {
      throw invalid(
          file,
          "tensor "
              + name
              + " has dtype "
              + t.dtype()
              + "; Weft reads weights stored as F32, F16 or BF16");
    }
    long count = t.elements();
    if (count > Integer.MAX_VALUE - 8) {
      throw invalid(
          file,
          "tensor " + name + " has " + count + " elements, more than a Java" + " array holds");
    }
    float[] out = new float[(int) count];
    int size = t.dtype().bytes();
    try {
      // Mapped in chunks: one mapping is limited to 2 GiB.
      int n;
      for (int from = 0; from < out.length; from += n) {
        n = Math.min(CHUNK_ELEMENTS, out.length - from);
        ByteBuffer bytes =
            channel.map(
                FileChannel.MapMode.READ_ONLY,
                dataStart + t.begin() + (long) from * size,
                (long) n * size);
        bytes.order(ByteOrder.LITTLE_ENDIAN);
        decode(t.dtype(), bytes, out, from, n);
      }
    } catch (IOException e) {
      throw invalid(file, "cannot read tensor " + name + ": " + e.getMessage());
    }
    return out;
  }

  private static void decode(Dtype dtype, ByteBuffer bytes, float[] out, int from, int n) {
    switch (dtype) {
      case F32 -> bytes.asFloatBuffer().get(out, from, n);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[from + i] = Dtype.halfToFloat(bytes.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[from + i] = Dtype.bf16ToFloat(bytes.getShort(2 * i));
        }
      }
      default -> throw new AssertionError(dtype);
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // Read-only channel: nothing is lost if closing fails.
      }
    }
  }

  static InvalidModelException invalid(Path file, String message) {
    return new InvalidModelException(file + ": " + message);
  }
}
