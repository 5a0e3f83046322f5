package dev.weft.engine.llama2c;

import dev.weft.engine.model.CirculantFfn;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads llama2.c's "legacy" (version 0) checkpoint: a header of seven little-endian int32 (dim,
 * hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len) followed by float32 tensors in a
 * fixed order. A negative vocab_size means the classifier is stored separately at the end.
 *
 * <p>Weft's block-circulant extension prefixes that with three int32: the marker {@code "wfbc"}, a
 * format version ({@link #CIRCULANT_VERSION}) and the block size k; then w1, w2 and w3 hold each
 * layer's block vectors ({@link dev.weft.engine.model.CirculantFfn}) instead of dense matrices.
 * Plain llama2.c cannot read such a file (its dim would be the marker); Weft rejects a version it
 * does not know by name.
 */
public final class Llama2cCheckpoint {

  static final int HEADER_BYTES = 7 * Integer.BYTES;

  /** "wfbc" read as a little-endian int32: the block-circulant extension's marker. */
  static final int CIRCULANT_MAGIC = 0x63626677;

  /** The block-circulant extension's version this code reads and writes. */
  static final int CIRCULANT_VERSION = 1;

  static final int CIRCULANT_PREFIX_BYTES = 3 * Integer.BYTES;
  static final double ROPE_THETA = 10000.0;
  static final double RMS_NORM_EPS = 1e-5;

  private Llama2cCheckpoint() {}

  /** Reads a checkpoint file into host memory. */
  public static LlamaWeights read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < HEADER_BYTES) {
        throw new InvalidModelException(
            file
                + ": not a llama2.c checkpoint: "
                + size
                + " bytes, shorter than the "
                + HEADER_BYTES
                + "-byte header");
      }
      ByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      bytes.order(ByteOrder.LITTLE_ENDIAN);
      int blockSize = 0;
      if (bytes.getInt(0) == CIRCULANT_MAGIC) {
        blockSize = readCirculantPrefix(file, bytes);
        bytes = bytes.slice(CIRCULANT_PREFIX_BYTES, (int) size - CIRCULANT_PREFIX_BYTES);
        bytes.order(ByteOrder.LITTLE_ENDIAN);
      }
      LlamaConfig config = readHeader(file, bytes);
      return new TensorReader(file, bytes, config, blockSize).readAll();
    } catch (IOException e) {
      throw new InvalidModelException(file + ": cannot read checkpoint: " + e.getMessage(), e);
    }
  }

  /** Checks the block-circulant prefix's version and returns its block size. */
  private static int readCirculantPrefix(Path file, ByteBuffer bytes) {
    if (bytes.capacity() < CIRCULANT_PREFIX_BYTES + HEADER_BYTES) {
      throw new InvalidModelException(
          file + ": block-circulant checkpoint truncated in its header");
    }
    int version = bytes.getInt(4);
    if (version != CIRCULANT_VERSION) {
      throw new InvalidModelException(
          file
              + ": block-circulant checkpoint of format version "
              + version
              + "; this Weft reads version "
              + CIRCULANT_VERSION);
    }
    int blockSize = bytes.getInt(8);
    if (blockSize < 1 || blockSize > 1 << 16) {
      throw new InvalidModelException(
          file + ": block-circulant checkpoint with invalid block size " + blockSize);
    }
    return blockSize;
  }

  /** Parses and validates the seven-int header. */
  static LlamaConfig readHeader(Path file, ByteBuffer bytes) {
    int dim = bytes.getInt(0);
    int hidden = bytes.getInt(4);
    int layers = bytes.getInt(8);
    int heads = bytes.getInt(12);
    int kvHeads = bytes.getInt(16);
    int vocab = bytes.getInt(20);
    int seqLen = bytes.getInt(24);
    try {
      return new LlamaConfig(
          dim,
          hidden,
          layers,
          heads,
          kvHeads,
          Math.abs(vocab),
          seqLen,
          ROPE_THETA,
          RMS_NORM_EPS,
          vocab > 0,
          LlamaConfig.RopeStyle.INTERLEAVED);
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(
          file + ": not a valid llama2.c checkpoint header: " + e.getMessage(), e);
    }
  }

  /** Walks the tensors in file order, naming the one that runs past the end of the file. */
  private static final class TensorReader {
    private final Path file;
    private final ByteBuffer bytes;
    private final LlamaConfig config;
    private final int blockSize;
    private long offset = HEADER_BYTES;

    /** {@code blockSize} 0 for dense feed-forward matrices. */
    TensorReader(Path file, ByteBuffer bytes, LlamaConfig config, int blockSize) {
      this.file = file;
      this.bytes = bytes;
      this.config = config;
      this.blockSize = blockSize;
    }

    LlamaWeights readAll() {
      int d = config.dim();
      int n = config.nLayers();
      long kv = config.kvDim();
      long h = config.hiddenDim();
      float[] embedding = next("token_embedding", (long) config.vocabSize() * d);
      float[][] rmsAtt = perLayer("rms_att", d);
      float[][] wq = perLayer("wq", (long) d * d);
      float[][] wk = perLayer("wk", kv * d);
      float[][] wv = perLayer("wv", kv * d);
      float[][] wo = perLayer("wo", (long) d * d);
      float[][] rmsFfn = perLayer("rms_ffn", d);
      int k = blockSize;
      float[][] w1 = perLayer("w1", k == 0 ? h * d : CirculantFfn.storedValues((int) h, d, k));
      float[][] w2 = perLayer("w2", k == 0 ? h * d : CirculantFfn.storedValues(d, (int) h, k));
      float[][] w3 = perLayer("w3", k == 0 ? h * d : CirculantFfn.storedValues((int) h, d, k));
      float[] rmsFinal = next("rms_final", d);
      // Legacy checkpoints store precomputed rotary tables; Weft computes its own.
      long ropeTable = (long) config.maxSeqLen() * config.headSize() / 2;
      skip("freq_cis_real", ropeTable);
      skip("freq_cis_imag", ropeTable);
      float[] classifier =
          config.sharedClassifier() ? embedding : next("classifier", (long) config.vocabSize() * d);
      if (offset != bytes.capacity()) {
        throw new InvalidModelException(
            file
                + ": "
                + (bytes.capacity() - offset)
                + " unexpected bytes after the last tensor"
                + " (expected a file of "
                + offset
                + " bytes for this header: "
                + config
                + ")");
      }
      List<LlamaWeights.Layer> layers = new ArrayList<>(n);
      float[] none = new float[0];
      for (int i = 0; i < n; i++) {
        layers.add(
            k == 0
                ? new LlamaWeights.Layer(
                    rmsAtt[i], wq[i], wk[i], wv[i], wo[i], rmsFfn[i], w1[i], w2[i], w3[i])
                : new LlamaWeights.Layer(
                    rmsAtt[i], wq[i], wk[i], wv[i], wo[i], rmsFfn[i], none, none, none));
      }
      CirculantFfn ffn = k == 0 ? null : new CirculantFfn(k, List.of(w1), List.of(w2), List.of(w3));
      return new LlamaWeights(config, embedding, layers, rmsFinal, classifier, ffn);
    }

    private float[][] perLayer(String name, long perLayerCount) {
      // Stored as one [n_layers, ...] tensor; checked as a whole so the message names it.
      requireAvailable(name, perLayerCount * config.nLayers());
      float[][] out = new float[config.nLayers()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = next(name, perLayerCount);
      }
      return out;
    }

    private float[] next(String name, long count) {
      requireAvailable(name, count);
      if (count > Integer.MAX_VALUE) {
        throw new InvalidModelException(file + ": tensor " + name + " too large: " + count);
      }
      float[] out = new float[(int) count];
      FloatBuffer floats =
          bytes
              .slice((int) offset, (int) count * Float.BYTES)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer();
      floats.get(out);
      offset += count * Float.BYTES;
      return out;
    }

    private void skip(String name, long count) {
      requireAvailable(name, count);
      offset += count * Float.BYTES;
    }

    private void requireAvailable(String name, long count) {
      long need = count * Float.BYTES;
      long have = bytes.capacity() - offset;
      if (need > have) {
        throw new InvalidModelException(
            file
                + " is truncated: tensor "
                + name
                + " needs "
                + need
                + " bytes ("
                + count
                + " floats) at offset "
                + offset
                + ", but only "
                + Math.max(have, 0)
                + " bytes remain (file size "
                + bytes.capacity()
                + ")");
      }
    }
  }
}
