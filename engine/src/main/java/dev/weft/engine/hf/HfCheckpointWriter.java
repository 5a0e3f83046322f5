package dev.weft.engine.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the model part of a Hugging Face Llama folder: {@code config.json}, {@code
 * generation_config.json} and {@code model.safetensors} (the tokenizer is the caller's). Tensors
 * are streamed one at a time from a {@link TensorSource}, so writing a model needs memory for one
 * tensor, not two copies of the model.
 */
public final class HfCheckpointWriter {

  /** Produces each tensor's values, in {@link LlamaTensors#layout} order. */
  interface TensorSource {
    /** Appends exactly {@code spec.elements()} values for {@code spec} to {@code out}. */
    void write(LlamaTensors.Spec spec, SafetensorsWriter out) throws IOException;
  }

  private HfCheckpointWriter() {}

  /** Writes weights whose q/k rows already follow Hugging Face's halves pairing. */
  public static void write(Path dir, HfConfig config, LlamaWeights weights, Dtype dtype)
      throws IOException {
    if (!weights.config().equals(config.llama())) {
      throw new IllegalArgumentException(
          "weights of " + weights.config() + " do not match " + config.llama());
    }
    weights.requireDenseFfn("the Hugging Face format");
    write(
        dir,
        config,
        dtype,
        (spec, out) -> out.writeTensor(spec.name(), LlamaTensors.get(weights, spec)));
  }

  static void write(Path dir, HfConfig config, Dtype dtype, TensorSource source)
      throws IOException {
    if (!dtype.isFloatWeight()) {
      throw new IllegalArgumentException("weights are written as F32, F16 or BF16, not " + dtype);
    }
    Files.createDirectories(dir);
    JsonFiles.write(dir.resolve(HfCheckpoint.CONFIG), config.toJson(dtype));
    JsonFiles.write(dir.resolve(HfCheckpoint.GENERATION_CONFIG), generationConfig(config));
    LlamaConfig c = config.llama();
    List<LlamaTensors.Spec> specs = LlamaTensors.layout(c);
    List<SafetensorsWriter.Entry> entries = new ArrayList<>();
    for (LlamaTensors.Spec s : specs) {
      entries.add(new SafetensorsWriter.Entry(s.name(), dtype, s.shape()));
    }
    try (SafetensorsWriter out =
        SafetensorsWriter.create(
            dir.resolve(HfCheckpoint.WEIGHTS), entries, Map.of("format", "pt"))) {
      for (LlamaTensors.Spec s : specs) {
        source.write(s, out);
      }
    }
  }

  /**
   * Generation defaults: every id that ends a generation. It may list more than config.json's one
   * eos_token_id (a converted llama2.c model also stops on BOS).
   */
  private static JsonObject generationConfig(HfConfig config) {
    JsonObject o = new JsonObject();
    config.bosTokenId().ifPresent(b -> o.addProperty("bos_token_id", b));
    if (config.eosTokenIds().size() == 1) {
      o.addProperty("eos_token_id", config.eosTokenIds().get(0));
    } else if (!config.eosTokenIds().isEmpty()) {
      JsonArray ids = new JsonArray();
      config.eosTokenIds().forEach(ids::add);
      o.add("eos_token_id", ids);
    }
    return o;
  }
}
