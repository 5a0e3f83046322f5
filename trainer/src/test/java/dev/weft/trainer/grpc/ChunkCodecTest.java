package dev.weft.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.weft.protos.v1.Tensor;
import dev.weft.protos.v1.TensorChunk;
import io.grpc.Drainable;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {

  private static float[] ramp(int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = i * 0.25f - 7;
    }
    return f;
  }

  private static byte[] drain(ChunkCodec.Chunk c) throws Exception {
    InputStream s = ChunkCodec.INSTANCE.stream(c);
    assertThat(s).isInstanceOf(Drainable.class).isInstanceOf(KnownLength.class);
    int known = s.available();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = ((Drainable) s).drainTo(out);
    assertThat(n).isEqualTo(known).isEqualTo(out.size());
    return out.toByteArray();
  }

  @Test
  void drainedBytesAreAValidProtobufTensorChunk() throws Exception {
    float[] src = ramp(100_003);
    byte[] wire =
        drain(
            new ChunkCodec.Chunk("run-x", 3, "ar/9#2", 1L << 33, 500_000, 65_536, src, 2, 100_001));
    TensorChunk p = TensorChunk.parseFrom(wire);
    assertThat(p.getRunId()).isEqualTo("run-x");
    assertThat(p.getSender()).isEqualTo(3);
    assertThat(p.getTag()).isEqualTo("ar/9#2");
    assertThat(p.getSeq()).isEqualTo(1L << 33);
    assertThat(p.getTotalElements()).isEqualTo(500_000);
    assertThat(p.getOffset()).isEqualTo(65_536);
    assertThat(p.getPart().getShapeList()).containsExactly(100_001L);
    float[] back = new float[100_001];
    p.getPart()
        .getData()
        .asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(back);
    assertThat(back).containsExactly(Arrays.copyOfRange(src, 2, 100_003));
  }

  @Test
  void parsesProtobufEncodedChunksIncludingUnknownFieldsAndOtherFieldOrder() {
    float[] v = ramp(1000);
    ByteBuffer data = ByteBuffer.allocate(4000).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(v);
    byte[] proto =
        TensorChunk.newBuilder()
            .setPart(Tensor.newBuilder().addShape(1000).setData(ByteString.copyFrom(data.array())))
            .setRunId("r")
            .setSender(1)
            .setTag("t")
            .setSeq(5)
            .setTotalElements(1000)
            .build()
            .toByteArray();
    // An unknown field (99, varint) in front must be skipped.
    byte[] withUnknown = new byte[proto.length + 3];
    withUnknown[0] = (byte) 0x98;
    withUnknown[1] = 0x06;
    withUnknown[2] = 42;
    System.arraycopy(proto, 0, withUnknown, 3, proto.length);
    ChunkCodec.Chunk c = ChunkCodec.INSTANCE.parse(new ByteArrayInputStream(withUnknown));
    assertThat(c.runId).isEqualTo("r");
    assertThat(c.sender).isEqualTo(1);
    assertThat(c.tag).isEqualTo("t");
    assertThat(c.seq).isEqualTo(5);
    assertThat(c.total).isEqualTo(1000);
    assertThat(c.offset).isZero();
    assertThat(c.n).isEqualTo(1000);
    assertThat(c.values()).containsExactly(v);
  }

  @Test
  void readsFloatsStraightFromNetworkBuffersSplitAtAnyByte() throws Exception {
    float[] src = ramp(10_000);
    byte[] wire = drain(new ChunkCodec.Chunk("run", 0, "x", 1, 10_000, 0, src, 0, 10_000));
    // Buffers of 7, 16384, 7, ... bytes: floats straddle buffer boundaries.
    ArrayDeque<ByteBuffer> parts = new ArrayDeque<>();
    for (int at = 0, k = 0; at < wire.length; k++) {
      int len = Math.min(k % 2 == 0 ? 7 : 16_384, wire.length - at);
      parts.add(ByteBuffer.allocateDirect(len).put(wire, at, len).flip());
      at += len;
    }
    BuffersStream in = new BuffersStream(parts);
    ChunkCodec.Chunk c = ChunkCodec.INSTANCE.parse(in);
    assertThat(in.bulkReads).isPositive();
    assertThat(c.values()).containsExactly(src);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void releaseDetachesAnUnwrittenChunkFromTheCallersArray() throws Exception {
    float[] src = ramp(64);
    ChunkCodec.Chunk c = new ChunkCodec.Chunk("run", 0, "x", 0, 64, 0, src, 0, 64);
    c.release(); // not yet written, as when a transport queues the message
    Arrays.fill(src, 9f);
    TensorChunk p = TensorChunk.parseFrom(ChunkCodec.INSTANCE.stream(c).readAllBytes());
    float[] back = new float[64];
    p.getPart()
        .getData()
        .asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(back);
    assertThat(back).containsExactly(ramp(64));
  }

  @Test
  void truncatedOrNonFloatDataIsRejected() throws Exception {
    byte[] wire = drain(new ChunkCodec.Chunk("run", 0, "x", 0, 8, 0, ramp(8), 0, 8));
    assertThatThrownBy(
            () -> ChunkCodec.INSTANCE.parse(new ByteArrayInputStream(wire, 0, wire.length - 3)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("truncated");
    byte[] odd =
        TensorChunk.newBuilder()
            .setPart(Tensor.newBuilder().setData(ByteString.copyFrom(new byte[6])))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> ChunkCodec.INSTANCE.parse(new ByteArrayInputStream(odd)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("not float32");
  }

  /** A stream over several ByteBuffers exposing them as gRPC's Netty buffers do. */
  private static final class BuffersStream extends InputStream implements HasByteBuffer {
    private final ArrayDeque<ByteBuffer> parts;
    int bulkReads;

    BuffersStream(ArrayDeque<ByteBuffer> parts) {
      this.parts = parts;
    }

    private ByteBuffer head() {
      while (!parts.isEmpty() && !parts.peek().hasRemaining()) {
        parts.poll();
      }
      return parts.peek();
    }

    @Override
    public int read() {
      ByteBuffer h = head();
      return h == null ? -1 : h.get() & 0xff;
    }

    @Override
    public long skip(long n) {
      ByteBuffer h = head();
      if (h == null) {
        return 0;
      }
      int k = (int) Math.min(n, h.remaining());
      h.position(h.position() + k);
      return k;
    }

    @Override
    public boolean byteBufferSupported() {
      return true;
    }

    @Override
    public ByteBuffer getByteBuffer() {
      ByteBuffer h = head();
      if (h != null && h.remaining() >= 4) {
        bulkReads++;
      }
      return h == null ? null : h.duplicate();
    }
  }
}
