package dev.weft.engine.llama2c;

import dev.weft.engine.model.CirculantFfn;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Writes llama2.c's legacy checkpoint, so that llama2.c's own {@code run.c} and Weft can be
 * measured on the very same weights. Weights must use llama2.c's interleaved rotary pairing.
 * Weights with block-circulant feed-forward matrices are written in Weft's extension of the format
 * (see {@link Llama2cCheckpoint}), which only Weft reads.
 */
public final class Llama2cCheckpointWriter {

  private Llama2cCheckpointWriter() {}

  public static void write(LlamaWeights weights, Path file) throws IOException {
    LlamaConfig c = weights.config();
    if (c.ropeStyle() != LlamaConfig.RopeStyle.INTERLEAVED) {
      throw new IllegalArgumentException(
          "llama2.c checkpoints rotate interleaved pairs; these weights rotate halves");
    }
    try (OutputStream file0 = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file0, 1 << 20))) {
      CirculantFfn ffn = weights.circulantFfn();
      if (ffn != null) {
        ByteBuffer prefix = ByteBuffer.allocate(Llama2cCheckpoint.CIRCULANT_PREFIX_BYTES);
        prefix.order(ByteOrder.LITTLE_ENDIAN);
        prefix
            .putInt(Llama2cCheckpoint.CIRCULANT_MAGIC)
            .putInt(Llama2cCheckpoint.CIRCULANT_VERSION)
            .putInt(ffn.blockSize());
        out.write(prefix.array());
      }
      ByteBuffer header = ByteBuffer.allocate(Llama2cCheckpoint.HEADER_BYTES);
      header.order(ByteOrder.LITTLE_ENDIAN);
      header
          .putInt(c.dim())
          .putInt(c.hiddenDim())
          .putInt(c.nLayers())
          .putInt(c.nHeads())
          .putInt(c.nKvHeads())
          .putInt(c.sharedClassifier() ? c.vocabSize() : -c.vocabSize())
          .putInt(c.maxSeqLen());
      out.write(header.array());
      floats(out, weights.tokenEmbedding());
      perLayer(out, weights, LlamaWeights.Layer::rmsAtt);
      perLayer(out, weights, LlamaWeights.Layer::wq);
      perLayer(out, weights, LlamaWeights.Layer::wk);
      perLayer(out, weights, LlamaWeights.Layer::wv);
      perLayer(out, weights, LlamaWeights.Layer::wo);
      perLayer(out, weights, LlamaWeights.Layer::rmsFfn);
      if (ffn == null) {
        perLayer(out, weights, LlamaWeights.Layer::w1);
        perLayer(out, weights, LlamaWeights.Layer::w2);
        perLayer(out, weights, LlamaWeights.Layer::w3);
      } else {
        for (List<float[]> tensor : List.of(ffn.w1(), ffn.w2(), ffn.w3())) {
          for (float[] blocks : tensor) {
            floats(out, blocks);
          }
        }
      }
      floats(out, weights.rmsFinal());
      // The legacy format's rotary tables, which readers skip; written as zeros.
      floats(out, new float[c.maxSeqLen() * c.headSize() / 2]);
      floats(out, new float[c.maxSeqLen() * c.headSize() / 2]);
      if (!c.sharedClassifier()) {
        floats(out, weights.classifier());
      }
    }
  }

  private static void perLayer(
      DataOutputStream out, LlamaWeights w, Function<LlamaWeights.Layer, float[]> tensor)
      throws IOException {
    for (LlamaWeights.Layer layer : w.layers()) {
      floats(out, tensor.apply(layer));
    }
  }

  private static void floats(DataOutputStream out, float[] values) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      if (!buf.hasRemaining()) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putFloat(v);
    }
    out.write(buf.array(), 0, buf.position());
  }
}
