package dev.weft.engine.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file by streaming: the tensors are declared up front (the header needs their
 * offsets), then their values are appended in that order, in chunks of any size, so a model never
 * has to be held in memory twice. Values are float32 and stored as F32, F16 or BF16. The file
 * appears under its name only when every tensor is complete; until then it is a temporary file
 * beside it.
 */
public final class SafetensorsWriter implements AutoCloseable {

  /**
   * A tensor to write.
   *
   * @param name its name in the header
   * @param dtype its stored element type: F32, F16 or BF16
   * @param shape its dimensions
   */
  public record Entry(String name, Dtype dtype, List<Long> shape) {
    public Entry {
      if (name == null || name.isEmpty() || name.equals("__metadata__")) {
        throw new IllegalArgumentException("bad tensor name '" + name + "'");
      }
      if (!dtype.isFloatWeight()) {
        throw new IllegalArgumentException("cannot write " + dtype + "; only F32, F16, BF16");
      }
      shape = List.copyOf(shape);
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("tensor " + name + " has negative shape " + shape);
        }
      }
    }

    long elements() {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }
  }

  private static final int BUFFER_BYTES = 1 << 20;

  private final Path target;
  private final Path temp;
  private final FileChannel out;
  private final List<Entry> entries;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private int current;
  private long writtenOfCurrent;

  private SafetensorsWriter(Path target, Path temp, FileChannel out, List<Entry> entries) {
    this.target = target;
    this.temp = temp;
    this.out = out;
    this.entries = entries;
  }

  /** Starts {@code file} with this header; values follow through {@link #append}. */
  public static SafetensorsWriter create(
      Path file, List<Entry> entries, Map<String, String> metadata) throws IOException {
    byte[] header = header(entries, metadata);
    Path temp = file.resolveSibling(file.getFileName() + ".partial");
    FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    SafetensorsWriter w = new SafetensorsWriter(file, temp, ch, List.copyOf(entries));
    w.buffer.putLong(header.length);
    w.writeBytes(header);
    w.skipEmpty();
    return w;
  }

  /** Writes a whole tensor, which must be the next one declared. */
  public void writeTensor(String name, float[] values) throws IOException {
    if (current >= entries.size() || !entries.get(current).name().equals(name)) {
      throw new IllegalStateException(
          "next tensor is "
              + (current < entries.size() ? entries.get(current).name() : "none")
              + ", not "
              + name);
    }
    if (writtenOfCurrent != 0 || values.length != entries.get(current).elements()) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " needs "
              + entries.get(current).elements()
              + " values, got "
              + values.length);
    }
    append(values, 0, values.length);
  }

  /** Appends values to the tensors in declared order, crossing tensor boundaries as needed. */
  public void append(float[] values, int from, int count) throws IOException {
    int i = from;
    int end = from + count;
    while (i < end) {
      if (current >= entries.size()) {
        throw new IllegalStateException((end - i) + " values beyond the last declared tensor");
      }
      Entry e = entries.get(current);
      long room = e.elements() - writtenOfCurrent;
      int n = (int) Math.min(room, end - i);
      for (int k = 0; k < n; k++) {
        if (buffer.remaining() < Float.BYTES) {
          flush();
        }
        float v = values[i + k];
        switch (e.dtype()) {
          case F32 -> buffer.putFloat(v);
          case F16 -> buffer.putShort(Dtype.floatToHalf(v));
          case BF16 -> buffer.putShort(Dtype.floatToBf16(v));
          default -> throw new AssertionError(e.dtype());
        }
      }
      i += n;
      writtenOfCurrent += n;
      skipEmpty();
    }
  }

  /**
   * Finishes the file. If a tensor is incomplete (the caller failed midway) the partial file is
   * removed and this throws, so a half-written checkpoint never appears under the real name.
   */
  @Override
  public void close() throws IOException {
    try {
      if (current < entries.size()) {
        throw new IllegalStateException(
            "tensor "
                + entries.get(current).name()
                + " incomplete: "
                + writtenOfCurrent
                + " of "
                + entries.get(current).elements()
                + " values written");
      }
      flush();
      out.force(false);
      out.close();
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      out.close();
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Moves past finished tensors, including empty ones. */
  private void skipEmpty() {
    while (current < entries.size() && writtenOfCurrent == entries.get(current).elements()) {
      current++;
      writtenOfCurrent = 0;
    }
  }

  private void writeBytes(byte[] bytes) throws IOException {
    int i = 0;
    while (i < bytes.length) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int n = Math.min(buffer.remaining(), bytes.length - i);
      buffer.put(bytes, i, n);
      i += n;
    }
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    buffer.clear();
  }

  /** The JSON header, padded with spaces to a multiple of 8 bytes so tensor data is aligned. */
  static byte[] header(List<Entry> entries, Map<String, String> metadata) {
    JsonObject json = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      json.add("__metadata__", meta);
    }
    long offset = 0;
    for (Entry e : entries) {
      if (json.has(e.name())) {
        throw new IllegalArgumentException("tensor " + e.name() + " declared twice");
      }
      JsonObject t = new JsonObject();
      t.addProperty("dtype", e.dtype().name());
      JsonArray shape = new JsonArray();
      e.shape().forEach(shape::add);
      t.add("shape", shape);
      long end = offset + e.elements() * e.dtype().bytes();
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offsets.add(end);
      t.add("data_offsets", offsets);
      json.add(e.name(), t);
      offset = end;
    }
    byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (text.length + 7) / 8 * 8;
    byte[] out = java.util.Arrays.copyOf(text, padded);
    java.util.Arrays.fill(out, text.length, padded, (byte) ' ');
    return out;
  }
}
