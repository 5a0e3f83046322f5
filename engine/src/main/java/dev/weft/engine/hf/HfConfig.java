package dev.weft.engine.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code config.json} of a {@code LlamaForCausalLM}, as a {@link LlamaConfig} (rope
 * style {@link LlamaConfig.RopeStyle#HALVES}) and the special token ids it names. Features Weft's
 * forward pass does not implement (rope scaling, biases, another activation or head size) are
 * rejected here rather than silently computing something else.
 *
 * @param llama the model's shape
 * @param bosTokenId {@code bos_token_id}, if given
 * @param eosTokenIds {@code eos_token_id}: none, one, or several
 */
public record HfConfig(LlamaConfig llama, OptionalInt bosTokenId, List<Integer> eosTokenIds) {

  static final String ARCHITECTURE = "LlamaForCausalLM";

  public HfConfig {
    if (llama.ropeStyle() != LlamaConfig.RopeStyle.HALVES) {
      throw new IllegalArgumentException("a Hugging Face Llama rotates halves, not " + llama);
    }
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  /** Reads and validates {@code file}. */
  public static HfConfig read(Path file) {
    JsonObject o = JsonFiles.read(file);
    checkArchitecture(file, o);
    JsonElement actJson = o.get("hidden_act");
    String act = "silu";
    if (actJson != null && !actJson.isJsonNull()) {
      act = actJson.isJsonPrimitive() ? actJson.getAsString() : actJson.toString();
    }
    if (!act.equals("silu")) {
      throw unsupported(file, "hidden_act " + act + " (Weft's Llama uses silu)");
    }
    JsonElement scaling = o.get("rope_scaling");
    if (scaling != null && !scaling.isJsonNull()) {
      throw unsupported(file, "rope_scaling " + scaling);
    }
    for (String bias : List.of("attention_bias", "mlp_bias")) {
      if (JsonFiles.booleanOr(file, o, bias, false)) {
        throw unsupported(file, bias + " true");
      }
    }
    int dim = JsonFiles.requiredInt(file, o, "hidden_size");
    int heads = JsonFiles.requiredInt(file, o, "num_attention_heads");
    LlamaConfig llama;
    try {
      llama =
          new LlamaConfig(
              dim,
              JsonFiles.requiredInt(file, o, "intermediate_size"),
              JsonFiles.requiredInt(file, o, "num_hidden_layers"),
              heads,
              JsonFiles.intOr(file, o, "num_key_value_heads", heads),
              JsonFiles.requiredInt(file, o, "vocab_size"),
              JsonFiles.intOr(file, o, "max_position_embeddings", 2048),
              JsonFiles.doubleOr(file, o, "rope_theta", 10000.0),
              JsonFiles.doubleOr(file, o, "rms_norm_eps", 1e-6),
              JsonFiles.booleanOr(file, o, "tie_word_embeddings", false),
              LlamaConfig.RopeStyle.HALVES);
    } catch (InvalidModelException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(file + ": not a valid Llama config: " + e.getMessage(), e);
    }
    int headDim = JsonFiles.intOr(file, o, "head_dim", llama.headSize());
    if (headDim != llama.headSize()) {
      throw unsupported(
          file, "head_dim " + headDim + " other than hidden_size / num_attention_heads");
    }
    OptionalInt bos =
        JsonFiles.optionalLong(file, o, "bos_token_id")
            .map(v -> OptionalInt.of(Math.toIntExact(v)))
            .orElse(OptionalInt.empty());
    return new HfConfig(llama, bos, JsonFiles.ids(file, o, "eos_token_id"));
  }

  /** The config.json that {@link #read} turns back into this config. */
  JsonObject toJson(Dtype storedAs) {
    LlamaConfig c = llama;
    JsonObject o = new JsonObject();
    JsonArray arch = new JsonArray();
    arch.add(ARCHITECTURE);
    o.add("architectures", arch);
    o.addProperty("model_type", "llama");
    o.addProperty("hidden_size", c.dim());
    o.addProperty("intermediate_size", c.hiddenDim());
    o.addProperty("num_hidden_layers", c.nLayers());
    o.addProperty("num_attention_heads", c.nHeads());
    o.addProperty("num_key_value_heads", c.nKvHeads());
    o.addProperty("head_dim", c.headSize());
    o.addProperty("vocab_size", c.vocabSize());
    o.addProperty("max_position_embeddings", c.maxSeqLen());
    o.addProperty("rope_theta", c.ropeTheta());
    o.addProperty("rms_norm_eps", c.rmsNormEps());
    o.addProperty("tie_word_embeddings", c.sharedClassifier());
    o.addProperty("hidden_act", "silu");
    o.addProperty("attention_bias", false);
    o.addProperty("mlp_bias", false);
    o.add("rope_scaling", com.google.gson.JsonNull.INSTANCE);
    bosTokenId.ifPresent(b -> o.addProperty("bos_token_id", b));
    if (!eosTokenIds.isEmpty()) {
      o.addProperty("eos_token_id", eosTokenIds.get(0));
    }
    o.addProperty("torch_dtype", torchDtype(storedAs));
    return o;
  }

  static String torchDtype(Dtype d) {
    return switch (d) {
      case F32 -> "float32";
      case F16 -> "float16";
      case BF16 -> "bfloat16";
      default -> throw new IllegalArgumentException("not a weight dtype: " + d);
    };
  }

  /**
   * Requires {@code architectures} to name LlamaForCausalLM; an older config without the field is
   * accepted when its model_type is llama.
   */
  private static void checkArchitecture(Path file, JsonObject o) {
    JsonElement arch = o.get("architectures");
    if (arch == null || arch.isJsonNull()) {
      JsonElement type = o.get("model_type");
      if (type != null && type.isJsonPrimitive() && type.getAsString().equals("llama")) {
        return;
      }
      throw new InvalidModelException(
          file + ": no architectures field; Weft reads " + ARCHITECTURE + " models");
    }
    List<String> names = new java.util.ArrayList<>();
    if (arch.isJsonArray()) {
      arch.getAsJsonArray().forEach(e -> names.add(e.isJsonPrimitive() ? e.getAsString() : "?"));
    } else {
      names.add(arch.isJsonPrimitive() ? arch.getAsString() : arch.toString());
    }
    if (!names.contains(ARCHITECTURE)) {
      throw new InvalidModelException(
          "unsupported architecture "
              + String.join(", ", names)
              + " in "
              + file
              + "; Weft reads "
              + ARCHITECTURE
              + " models");
    }
  }

  private static InvalidModelException unsupported(Path file, String what) {
    return new InvalidModelException(file + ": " + what + " is not supported by Weft's Llama");
  }
}
