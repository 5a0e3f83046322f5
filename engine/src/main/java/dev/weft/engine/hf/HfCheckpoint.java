package dev.weft.engine.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the weights of a Hugging Face Llama folder: {@code config.json} and either {@code
 * model.safetensors} or the shards listed in {@code model.safetensors.index.json}. Every tensor the
 * config implies must be present with the implied shape, and no other tensor may be, so a config
 * that disagrees with the checkpoint is reported (file, tensor, expected and actual shape) instead
 * of producing a model that computes garbage.
 */
public final class HfCheckpoint {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String GENERATION_CONFIG = "generation_config.json";

  private HfCheckpoint() {}

  /** Reads the config and weights of the model in {@code dir}. */
  public static LlamaWeights read(Path dir) {
    return read(dir, HfConfig.read(dir.resolve(CONFIG)));
  }

  /** Reads the weights of the model in {@code dir}, which {@code config} describes. */
  public static LlamaWeights read(Path dir, HfConfig config) {
    LlamaConfig c = config.llama();
    Path configFile = dir.resolve(CONFIG);
    List<SafetensorsFile> files = openWeightFiles(dir);
    try {
      Map<String, SafetensorsFile> where = locate(dir, files);
      List<LlamaTensors.Spec> specs = LlamaTensors.layout(c);
      TreeSet<String> expected = new TreeSet<>();
      for (LlamaTensors.Spec s : specs) {
        expected.add(s.name());
        SafetensorsFile f = where.get(s.name());
        if (f == null) {
          throw new InvalidModelException(
              weightFilesName(dir, files)
                  + ": no tensor "
                  + s.name()
                  + ", which "
                  + configFile
                  + " ("
                  + summary(c)
                  + ") requires");
        }
        List<Long> actual = f.tensors().get(s.name()).shape();
        if (!actual.equals(s.shape())) {
          throw new InvalidModelException(
              f.file()
                  + ": tensor "
                  + s.name()
                  + " has shape "
                  + actual
                  + ", but "
                  + configFile
                  + " implies "
                  + s.shape()
                  + " = "
                  + symbolicShape(s.kind())
                  + " ("
                  + summary(c)
                  + ")");
        }
      }
      for (Map.Entry<String, SafetensorsFile> e : where.entrySet()) {
        String name = e.getKey();
        boolean tiedHead = c.sharedClassifier() && name.equals("lm_head.weight");
        // Older exports save the rotary frequencies; Weft computes its own.
        boolean rotary = name.endsWith(".self_attn.rotary_emb.inv_freq");
        if (!expected.contains(name) && !tiedHead && !rotary) {
          throw new InvalidModelException(
              e.getValue().file()
                  + ": tensor "
                  + name
                  + " is not part of a LlamaForCausalLM"
                  + " of the shape "
                  + configFile
                  + " gives ("
                  + summary(c)
                  + ")");
        }
      }
      List<float[]> values = new ArrayList<>(specs.size());
      for (LlamaTensors.Spec s : specs) {
        values.add(where.get(s.name()).readFloats(s.name()));
      }
      return LlamaTensors.assemble(c, specs, values);
    } finally {
      files.forEach(SafetensorsFile::close);
    }
  }

  /** The single weights file, or the shards its index names (each once). */
  private static List<SafetensorsFile> openWeightFiles(Path dir) {
    Path single = dir.resolve(WEIGHTS);
    Path index = dir.resolve(INDEX);
    List<Path> paths = new ArrayList<>();
    if (Files.isRegularFile(single)) {
      paths.add(single);
    } else if (Files.isRegularFile(index)) {
      for (String shard : new TreeSet<>(weightMap(index).values())) {
        Path p = dir.resolve(shard);
        if (!Files.isRegularFile(p)) {
          throw new InvalidModelException(index + ": shard " + shard + " is not in " + dir);
        }
        paths.add(p);
      }
    } else {
      throw new InvalidModelException(
          dir + ": has " + CONFIG + " but neither " + WEIGHTS + " nor " + INDEX);
    }
    List<SafetensorsFile> files = new ArrayList<>();
    try {
      for (Path p : paths) {
        files.add(SafetensorsFile.open(p));
      }
    } catch (RuntimeException e) {
      files.forEach(SafetensorsFile::close);
      throw e;
    }
    return files;
  }

  /** Which file holds each tensor; with an index, it must agree with the shards. */
  private static Map<String, SafetensorsFile> locate(Path dir, List<SafetensorsFile> files) {
    Map<String, SafetensorsFile> where = new LinkedHashMap<>();
    for (SafetensorsFile f : files) {
      for (String name : f.tensors().keySet()) {
        SafetensorsFile other = where.put(name, f);
        if (other != null) {
          throw new InvalidModelException(
              "tensor " + name + " is in both " + other.file() + " and " + f.file());
        }
      }
    }
    Path index = dir.resolve(INDEX);
    if (files.size() == 1 && files.get(0).file().getFileName().toString().equals(WEIGHTS)) {
      return where;
    }
    for (Map.Entry<String, String> e : weightMap(index).entrySet()) {
      SafetensorsFile f = where.get(e.getKey());
      if (f == null || !f.file().getFileName().toString().equals(e.getValue())) {
        throw new InvalidModelException(
            index
                + ": weight_map puts tensor "
                + e.getKey()
                + " in "
                + e.getValue()
                + ", but "
                + (f == null ? "no shard holds it" : f.file() + " holds it"));
      }
    }
    return where;
  }

  /** The {@code weight_map} of an index: tensor name → shard file name within the folder. */
  static Map<String, String> weightMap(Path index) {
    JsonObject o = JsonFiles.read(index);
    JsonElement map = o.get("weight_map");
    if (map == null || !map.isJsonObject()) {
      throw new InvalidModelException(index + ": no weight_map object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : map.getAsJsonObject().entrySet()) {
      String shard = e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : "";
      if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
        throw new InvalidModelException(
            index
                + ": weight_map entry for "
                + e.getKey()
                + " is "
                + e.getValue()
                + ", not a file name in the model folder");
      }
      out.put(e.getKey(), shard);
    }
    return out;
  }

  private static String weightFilesName(Path dir, List<SafetensorsFile> files) {
    return files.size() == 1 ? files.get(0).file().toString() : dir.resolve(INDEX).toString();
  }

  private static String summary(LlamaConfig c) {
    return "hidden_size "
        + c.dim()
        + ", intermediate_size "
        + c.hiddenDim()
        + ", num_hidden_layers "
        + c.nLayers()
        + ", num_attention_heads "
        + c.nHeads()
        + ", num_key_value_heads "
        + c.nKvHeads()
        + ", vocab_size "
        + c.vocabSize()
        + ", tie_word_embeddings "
        + c.sharedClassifier();
  }

  private static String symbolicShape(LlamaTensors.Kind kind) {
    return switch (kind) {
      case EMBED, LM_HEAD -> "[vocab_size, hidden_size]";
      case ATTN_NORM, FFN_NORM, NORM -> "[hidden_size]";
      case Q, O -> "[hidden_size, hidden_size]";
      case K, V -> "[num_key_value_heads * head_dim, hidden_size]";
      case GATE, UP -> "[intermediate_size, hidden_size]";
      case DOWN -> "[hidden_size, intermediate_size]";
    };
  }
}
