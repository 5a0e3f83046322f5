package dev.weft.engine.hf;

import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a Hugging Face {@code LlamaForCausalLM} for a given shape: their names, shapes and
 * which field of {@link LlamaWeights} each one is. Hugging Face stores linear weights as [out, in],
 * as llama2.c does, so every tensor maps to a weights field unchanged; only the rotary pairing of
 * q/k rows differs, which the config's rope style records.
 */
final class LlamaTensors {

  /** What a tensor is, independent of its layer. */
  enum Kind {
    EMBED,
    ATTN_NORM,
    Q,
    K,
    V,
    O,
    FFN_NORM,
    GATE,
    UP,
    DOWN,
    NORM,
    LM_HEAD;

    boolean isNorm() {
      return this == ATTN_NORM || this == FFN_NORM || this == NORM;
    }
  }

  /**
   * One tensor of the model.
   *
   * @param name its Hugging Face name
   * @param kind what it is
   * @param layer its block, or -1 outside the blocks
   * @param shape [rows, cols] for matrices, [n] for norms
   */
  record Spec(String name, Kind kind, int layer, List<Long> shape) {
    Spec {
      shape = List.copyOf(shape);
    }

    long elements() {
      return shape.stream().reduce(1L, Math::multiplyExact);
    }
  }

  private LlamaTensors() {}

  /** The tensors in the order Weft writes them; lm_head only when not tied to the embedding. */
  static List<Spec> layout(LlamaConfig c) {
    long d = c.dim();
    long kv = c.kvDim();
    long h = c.hiddenDim();
    long v = c.vocabSize();
    List<Spec> out = new ArrayList<>();
    out.add(new Spec("model.embed_tokens.weight", Kind.EMBED, -1, List.of(v, d)));
    for (int l = 0; l < c.nLayers(); l++) {
      String p = "model.layers." + l + ".";
      out.add(new Spec(p + "input_layernorm.weight", Kind.ATTN_NORM, l, List.of(d)));
      out.add(new Spec(p + "self_attn.q_proj.weight", Kind.Q, l, List.of(d, d)));
      out.add(new Spec(p + "self_attn.k_proj.weight", Kind.K, l, List.of(kv, d)));
      out.add(new Spec(p + "self_attn.v_proj.weight", Kind.V, l, List.of(kv, d)));
      out.add(new Spec(p + "self_attn.o_proj.weight", Kind.O, l, List.of(d, d)));
      out.add(new Spec(p + "post_attention_layernorm.weight", Kind.FFN_NORM, l, List.of(d)));
      out.add(new Spec(p + "mlp.gate_proj.weight", Kind.GATE, l, List.of(h, d)));
      out.add(new Spec(p + "mlp.up_proj.weight", Kind.UP, l, List.of(h, d)));
      out.add(new Spec(p + "mlp.down_proj.weight", Kind.DOWN, l, List.of(d, h)));
    }
    out.add(new Spec("model.norm.weight", Kind.NORM, -1, List.of(d)));
    if (!c.sharedClassifier()) {
      out.add(new Spec("lm_head.weight", Kind.LM_HEAD, -1, List.of(v, d)));
    }
    return out;
  }

  /** The values of {@code spec} in {@code w}. */
  static float[] get(LlamaWeights w, Spec spec) {
    if (spec.layer() < 0) {
      return switch (spec.kind()) {
        case EMBED -> w.tokenEmbedding();
        case NORM -> w.rmsFinal();
        case LM_HEAD -> w.classifier();
        default -> throw new IllegalArgumentException(spec.name());
      };
    }
    LlamaWeights.Layer l = w.layers().get(spec.layer());
    return switch (spec.kind()) {
      case ATTN_NORM -> l.rmsAtt();
      case Q -> l.wq();
      case K -> l.wk();
      case V -> l.wv();
      case O -> l.wo();
      case FFN_NORM -> l.rmsFfn();
      case GATE -> l.w1();
      case UP -> l.w3();
      case DOWN -> l.w2();
      default -> throw new IllegalArgumentException(spec.name());
    };
  }

  /** Builds weights from tensors given per spec (in {@link #layout} order). */
  static LlamaWeights assemble(LlamaConfig c, List<Spec> specs, List<float[]> values) {
    float[] embed = null;
    float[] norm = null;
    float[] head = null;
    float[][][] layers = new float[c.nLayers()][Kind.values().length][];
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      switch (s.kind()) {
        case EMBED -> embed = values.get(i);
        case NORM -> norm = values.get(i);
        case LM_HEAD -> head = values.get(i);
        default -> layers[s.layer()][s.kind().ordinal()] = values.get(i);
      }
    }
    List<LlamaWeights.Layer> out = new ArrayList<>();
    for (float[][] t : layers) {
      out.add(
          new LlamaWeights.Layer(
              t[Kind.ATTN_NORM.ordinal()],
              t[Kind.Q.ordinal()],
              t[Kind.K.ordinal()],
              t[Kind.V.ordinal()],
              t[Kind.O.ordinal()],
              t[Kind.FFN_NORM.ordinal()],
              t[Kind.GATE.ordinal()],
              t[Kind.DOWN.ordinal()],
              t[Kind.UP.ordinal()]));
    }
    return new LlamaWeights(c, embed, out, norm, c.sharedClassifier() ? embed : head);
  }
}
