package dev.weft.trainer.grpc;

import com.google.protobuf.CodedOutputStream;
import io.grpc.Drainable;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Exchange} request marshaller: writes and reads the protobuf encoding of {@code
 * weft.v1.TensorChunk} (fields 1-7, the tensor as {@code Tensor{shape=[n], data}}) by hand, so that
 * float data goes from the sender's float[] straight into gRPC's (Netty) buffers and from the
 * received network buffers straight into the receiver's float[]. The generated protobuf classes
 * would copy every chunk three more times (float[] to byte[], byte[] to the parser's buffer, to a
 * ByteString, to float[]). The bytes on the wire are a valid {@code TensorChunk}, so any protobuf
 * client of {@code TrainerPeer} still interoperates.
 */
final class ChunkCodec implements MethodDescriptor.Marshaller<ChunkCodec.Chunk> {

  /** For sending, and for receivers without a pool of arrays: every chunk gets a fresh array. */
  static final ChunkCodec INSTANCE = new ChunkCodec(null, null);

  /**
   * The values of a received chunk that was written straight into an announced destination ({@link
   * Placements}); delivered as the message's data, it tells the receiver the message is in place.
   */
  static final float[] PLACED = new float[0];

  /** Float staging for adding network bytes into a destination; stays in L1. */
  private static final ThreadLocal<float[]> ADD_SCRATCH =
      ThreadLocal.withInitial(() -> new float[4096]);

  /** Bytes converted at a time on the way out; stays in cache. */
  private static final int SCRATCH_BYTES = 64 << 10;

  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

  /** Where received chunks' arrays come from; null: fresh arrays. */
  private final ReceiveArrays arrays;

  /** Announced destinations of whole-message chunks; null: none. */
  private final Placements placements;

  ChunkCodec(ReceiveArrays arrays, Placements placements) {
    this.arrays = arrays;
    this.placements = placements;
  }

  /**
   * One transport chunk: values {@code data[from, from+n)} of a logical message of {@code total}
   * values, at {@code offset} in it. A chunk built for sending refers to the caller's array until
   * {@link #release} (called once the transport has taken it) copies what was not yet written.
   */
  static final class Chunk {
    final String runId;
    final int sender;
    final String tag;
    final long seq;
    final long total;
    final long offset;
    final int n;
    private float[] data;
    private int from;
    private boolean written;

    Chunk(
        String runId,
        int sender,
        String tag,
        long seq,
        long total,
        long offset,
        float[] data,
        int from,
        int n) {
      this.runId = runId;
      this.sender = sender;
      this.tag = tag;
      this.seq = seq;
      this.total = total;
      this.offset = offset;
      this.data = data;
      this.from = from;
      this.n = n;
    }

    /** The values; for a received chunk, an array of exactly {@code n} values owned by it. */
    synchronized float[] values() {
      return data;
    }

    synchronized int from() {
      return from;
    }

    /**
     * Detaches the chunk from the caller's array. Netty serializes within {@code onNext}, so this
     * is free there; a transport that keeps the message for later (in-process, a stream not yet
     * started) gets a private copy here.
     */
    synchronized void release() {
      if (!written && data != null) {
        float[] own = new float[n];
        System.arraycopy(data, from, own, 0, n);
        data = own;
        from = 0;
      }
    }

    synchronized void markWritten() {
      written = true;
    }
  }

  @Override
  public InputStream stream(Chunk c) {
    return new ChunkStream(c);
  }

  @Override
  public Chunk parse(InputStream in) {
    try {
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("malformed tensor chunk: " + e.getMessage(), e);
    }
  }

  /** Protobuf header of a chunk: every field up to and including the data field's length. */
  private static byte[] header(Chunk c) throws IOException {
    byte[] run = c.runId.getBytes(StandardCharsets.UTF_8);
    byte[] tag = c.tag.getBytes(StandardCharsets.UTF_8);
    int dataBytes = 4 * c.n;
    int shapeBytes = CodedOutputStream.computeUInt64SizeNoTag(c.n);
    int tensorBytes =
        1
            + CodedOutputStream.computeUInt32SizeNoTag(shapeBytes)
            + shapeBytes
            + 1
            + CodedOutputStream.computeUInt32SizeNoTag(dataBytes)
            + dataBytes;
    byte[] out = new byte[128 + run.length + tag.length];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, run);
    o.writeInt32(2, c.sender);
    o.writeByteArray(3, tag);
    o.writeInt64(4, c.seq);
    o.writeInt64(5, c.total);
    o.writeInt64(6, c.offset);
    o.writeTag(7, 2);
    o.writeUInt32NoTag(tensorBytes);
    o.writeTag(1, 2); // shape, packed
    o.writeUInt32NoTag(shapeBytes);
    o.writeUInt64NoTag(c.n);
    o.writeTag(2, 2); // data
    o.writeUInt32NoTag(dataBytes);
    return java.util.Arrays.copyOf(out, o.getTotalBytesWritten());
  }

  /** A chunk's bytes: drained straight into the transport, or read as a plain stream. */
  private static final class ChunkStream extends InputStream implements KnownLength, Drainable {
    private final Chunk c;
    private final byte[] header;
    private ByteArrayInputStream bytes;
    private boolean drained;

    ChunkStream(Chunk c) {
      this.c = c;
      try {
        this.header = header(c);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      if (bytes != null || drained) {
        throw new IllegalStateException("tensor chunk stream already read");
      }
      drained = true;
      target.write(header);
      synchronized (c) {
        byte[] s = SCRATCH.get();
        var view = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int done = 0; done < c.n; ) {
          int m = Math.min(SCRATCH_BYTES / 4, c.n - done);
          view.clear();
          view.put(c.data, c.from + done, m);
          target.write(s, 0, 4 * m);
          done += m;
        }
        c.markWritten();
      }
      return header.length + 4 * c.n;
    }

    /** Non-draining readers (in-process transport) get the encoded bytes from one array. */
    private ByteArrayInputStream bytes() {
      if (bytes == null) {
        if (drained) {
          throw new IllegalStateException("tensor chunk stream already drained");
        }
        byte[] all = new byte[header.length + 4 * c.n];
        System.arraycopy(header, 0, all, 0, header.length);
        synchronized (c) {
          ByteBuffer.wrap(all, header.length, 4 * c.n)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer()
              .put(c.data, c.from, c.n);
          c.markWritten();
        }
        bytes = new ByteArrayInputStream(all);
      }
      return bytes;
    }

    @Override
    public int available() {
      if (drained) {
        return 0;
      }
      return bytes == null ? header.length + 4 * c.n : bytes.available();
    }

    @Override
    public int read() {
      return bytes().read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return bytes().read(b, off, len);
    }
  }

  private Chunk read(InputStream in) throws IOException {
    String runId = "";
    String tag = "";
    int sender = 0;
    long seq = 0;
    long total = 0;
    long offset = 0;
    float[] values = new float[0];
    int[] count = new int[1];
    int t;
    while ((t = readTag(in)) != 0) {
      switch (t) {
        case (1 << 3) | 2 -> runId = readString(in);
        case 2 << 3 -> sender = (int) readVarint(in, new int[1]);
        case (3 << 3) | 2 -> tag = readString(in);
        case 4 << 3 -> seq = readVarint(in, new int[1]);
        case 5 << 3 -> total = readVarint(in, new int[1]);
        case 6 << 3 -> offset = readVarint(in, new int[1]);
        case (7 << 3) | 2 -> {
          // Fields are written in number order, so everything naming the message precedes the
          // tensor: a whole-message chunk can go straight to an announced destination.
          values =
              readTensor(
                  in, readLength(in), count, runId, sender, tag, seq, offset == 0 ? total : -1);
        }
        default -> skip(in, t);
      }
    }
    return new Chunk(
        runId,
        sender,
        tag,
        seq,
        total,
        offset,
        values,
        0,
        values == PLACED ? count[0] : values.length);
  }

  /**
   * A {@code Tensor} of {@code len} bytes: its data as floats (the 1-D shape is implied), or {@link
   * #PLACED} when the values went straight to an announced destination; {@code count[0]} is the
   * number of values. {@code whole} is the message's total length when this chunk starts at 0 (else
   * -1): only a chunk that is the whole message can be placed.
   */
  private float[] readTensor(
      InputStream in,
      int len,
      int[] count,
      String runId,
      int sender,
      String tag,
      long seq,
      long whole)
      throws IOException {
    float[] values = new float[0];
    long end = len;
    long used = 0;
    while (used < end) {
      int[] tagSize = new int[1];
      int t = (int) readVarint(in, tagSize);
      used += tagSize[0];
      if (t == ((2 << 3) | 2)) {
        int[] lenSize = new int[1];
        int bytes = (int) readVarint(in, lenSize);
        if (bytes % 4 != 0 || bytes < 0) {
          throw new IOException("tensor data of " + bytes + " bytes is not float32");
        }
        int n = bytes / 4;
        count[0] = n;
        Placements.Placement p =
            placements != null && whole == n ? placements.claim(runId, sender, tag, seq, n) : null;
        if (p != null) {
          try {
            readFloats(in, p.dest, p.offset, n, p.add);
          } finally {
            placements.finished(p);
          }
          values = PLACED;
        } else {
          values = arrays == null ? new float[n] : arrays.take(n);
          readFloats(in, values, 0, n, false);
        }
        used += lenSize[0] + bytes;
      } else {
        used += skip(in, t);
      }
    }
    if (used != end) {
      throw new IOException("tensor overruns its length " + len);
    }
    return values;
  }

  /**
   * Reads {@code n} little-endian floats into {@code dest[at, at+n)}, added to what is there if
   * {@code add}, else over it; from the network buffers when the stream exposes them.
   */
  private static void readFloats(InputStream in, float[] dest, int at, int n, boolean add)
      throws IOException {
    int i = 0;
    if (in instanceof HasByteBuffer hb && hb.byteBufferSupported()) {
      byte[] four = new byte[4];
      ByteBuffer fourLe = ByteBuffer.wrap(four).order(ByteOrder.LITTLE_ENDIAN);
      while (i < n) {
        ByteBuffer bb = hb.getByteBuffer();
        int k = bb == null ? 0 : Math.min(bb.remaining() / 4, n - i);
        if (k > 0) {
          FloatBuffer f = bb.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
          if (add) {
            addFrom(f, k, dest, at + i);
          } else {
            f.get(dest, at + i, k);
          }
          skipFully(in, 4L * k);
          i += k;
        } else {
          // A value split across two network buffers.
          readFully(in, four, 4);
          float v = fourLe.getFloat(0);
          dest[at + i] = add ? dest[at + i] + v : v;
          i++;
        }
      }
      return;
    }
    byte[] s = SCRATCH.get();
    var view = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    while (i < n) {
      int k = Math.min(SCRATCH_BYTES / 4, n - i);
      readFully(in, s, 4 * k);
      view.clear();
      if (add) {
        addFrom(view, k, dest, at + i);
      } else {
        view.get(dest, at + i, k);
      }
      i += k;
    }
  }

  /** Adds the next {@code k} values of {@code src} to {@code dest[at, at+k)}, via an L1 scratch. */
  private static void addFrom(FloatBuffer src, int k, float[] dest, int at) {
    float[] tmp = ADD_SCRATCH.get();
    for (int done = 0; done < k; ) {
      int m = Math.min(tmp.length, k - done);
      src.get(tmp, 0, m);
      int base = at + done;
      for (int j = 0; j < m; j++) {
        dest[base + j] += tmp[j];
      }
      done += m;
    }
  }

  private static int readTag(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      return 0;
    }
    long v = b & 0x7f;
    for (int shift = 7; (b & 0x80) != 0; shift += 7) {
      b = readByte(in);
      v |= (long) (b & 0x7f) << shift;
    }
    return (int) v;
  }

  private static long readVarint(InputStream in, int[] size) throws IOException {
    long v = 0;
    for (int shift = 0, n = 1; shift < 64; shift += 7, n++) {
      int b = readByte(in);
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        size[0] = n;
        return v;
      }
    }
    throw new IOException("varint too long");
  }

  private static int readLength(InputStream in) throws IOException {
    long len = readVarint(in, new int[1]);
    if (len < 0 || len > Integer.MAX_VALUE) {
      throw new IOException("bad length " + len);
    }
    return (int) len;
  }

  private static String readString(InputStream in) throws IOException {
    byte[] b = new byte[readLength(in)];
    readFully(in, b, b.length);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Skips the value of an unknown field; returns the bytes skipped. */
  private static long skip(InputStream in, int tag) throws IOException {
    int[] size = new int[1];
    switch (tag & 7) {
      case 0 -> readVarint(in, size);
      case 1 -> skipFully(in, size[0] = 8);
      case 5 -> skipFully(in, size[0] = 4);
      case 2 -> {
        long len = readVarint(in, size);
        skipFully(in, len);
        return size[0] + len;
      }
      default -> throw new IOException("unsupported wire type in tag " + tag);
    }
    return size[0];
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("tensor chunk truncated");
    }
    return b;
  }

  private static void readFully(InputStream in, byte[] b, int len) throws IOException {
    for (int got = 0; got < len; ) {
      int r = in.read(b, got, len - got);
      if (r < 0) {
        throw new EOFException("tensor chunk truncated");
      }
      got += r;
    }
  }

  private static void skipFully(InputStream in, long len) throws IOException {
    for (long left = len; left > 0; ) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new EOFException("tensor chunk truncated");
        }
        s = 1;
      }
      left -= s;
    }
  }
}
