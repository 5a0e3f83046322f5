package dev.weft.trainer.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.weft.protos.v1.Tensor;
import dev.weft.trainer.model.ParameterShapes;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the trainer's types and the protos. */
final class Wire {

  private Wire() {}

  /** A 1-D tensor holding {@code data[off, off+len)} as little-endian float32. */
  static Tensor slice(float[] data, int off, int len) {
    byte[] bytes = new byte[len * 4];
    java.nio.ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .put(data, off, len);
    // The array is never touched again, so protobuf may keep it without copying.
    ByteString b = UnsafeByteOperations.unsafeWrap(bytes);
    return Tensor.newBuilder().addShape(len).setData(b).build();
  }

  /** Copies a tensor's values into {@code dest} at {@code off}; returns the count. */
  static int copyInto(Tensor t, float[] dest, int off) {
    ByteString b = t.getData();
    int n = b.size() / 4;
    if (n * 4 != b.size() || off + n > dest.length) {
      throw new IllegalArgumentException(
          "chunk of " + b.size() + " bytes does not fit at " + off + " of " + dest.length);
    }
    b.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dest, off, n);
    return n;
  }

  static List<Tensor> shapes(ParameterShapes s) {
    List<Tensor> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    for (long[] d : s.dims()) {
      Tensor.Builder t = Tensor.newBuilder();
      for (long x : d) {
        t.addShape(x);
      }
      out.add(t.build());
    }
    return out;
  }

  /** Shapes from the wire; names are unknown there, so they are the indices. */
  static ParameterShapes shapes(List<Tensor> ts) {
    List<String> names = new ArrayList<>();
    List<long[]> dims = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      names.add("p" + i);
      dims.add(ts.get(i).getShapeList().stream().mapToLong(Long::longValue).toArray());
    }
    return new ParameterShapes(names, dims);
  }
}
