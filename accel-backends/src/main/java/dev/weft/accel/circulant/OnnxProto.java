package dev.weft.accel.circulant;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf encoder for the few ONNX messages an exported layer needs (field numbers from
 * onnx.proto, MIT-licensed): ModelProto, OperatorSetIdProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto.Tensor and TensorShapeProto. Hand-encoded so that
 * exporting needs no generated classes.
 */
final class OnnxProto {

  static final int FLOAT = 1;
  static final int INT64 = 7;
  private static final int ATTR_INT = 2;
  private static final int ATTR_INTS = 7;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  byte[] bytes() {
    return out.toByteArray();
  }

  private void rawVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  OnnxProto varint(int field, long value) {
    rawVarint((long) field << 3);
    rawVarint(value);
    return this;
  }

  OnnxProto bytes(int field, byte[] value) {
    rawVarint(((long) field << 3) | 2);
    rawVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  OnnxProto string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  OnnxProto message(int field, OnnxProto value) {
    return bytes(field, value.bytes());
  }

  // ---- ONNX messages ----

  /** ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 {domain 1, version 2}. */
  static byte[] model(OnnxProto graph, int opset) {
    return new OnnxProto()
        .varint(1, 8)
        .string(2, "weft")
        .message(7, graph)
        .message(8, new OnnxProto().string(1, "").varint(2, opset))
        .bytes();
  }

  /** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
  static OnnxProto node(String op, String name, String[] inputs, String[] outputs) {
    OnnxProto n = new OnnxProto();
    for (String in : inputs) {
      n.string(1, in);
    }
    for (String o : outputs) {
      n.string(2, o);
    }
    return n.string(3, name).string(4, op);
  }

  /** Adds an AttributeProto {name 1, i 3, type 20 = INT} to a node. */
  OnnxProto intAttribute(String name, long value) {
    return message(5, new OnnxProto().string(1, name).varint(3, value).varint(20, ATTR_INT));
  }

  /** Adds an AttributeProto {name 1, ints 8, type 20 = INTS} to a node. */
  OnnxProto intsAttribute(String name, long... values) {
    OnnxProto a = new OnnxProto().string(1, name);
    for (long v : values) {
      a.varint(8, v);
    }
    return message(5, a.varint(20, ATTR_INTS));
  }

  /** TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian). */
  static OnnxProto floatTensor(String name, float[] data, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    return tensor(name, FLOAT, buf.array(), dims);
  }

  static OnnxProto int64Tensor(String name, long... data) {
    ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(data);
    return tensor(name, INT64, buf.array(), data.length);
  }

  private static OnnxProto tensor(String name, int type, byte[] raw, long... dims) {
    OnnxProto t = new OnnxProto();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, type).string(8, name).bytes(9, raw);
  }

  /**
   * ValueInfoProto {name 1, type 2: TypeProto {tensor_type 1: {elem_type 1, shape 2: {dim 1:
   * {dim_value 1 | dim_param 2}}}}}; a null dimension is the symbolic "batch".
   */
  static OnnxProto floatValue(String name, Long... dims) {
    OnnxProto shape = new OnnxProto();
    for (Long d : dims) {
      shape.message(
          1, d == null ? new OnnxProto().string(2, "batch") : new OnnxProto().varint(1, d));
    }
    OnnxProto tensorType = new OnnxProto().varint(1, FLOAT).message(2, shape);
    return new OnnxProto().string(1, name).message(2, new OnnxProto().message(1, tensorType));
  }
}
