package dev.weft.engine.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.engine.model.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Hugging Face Llama folders, and the errors for folders that cannot be used. */
class HfCheckpointTest {

  static final LlamaConfig TINY =
      ModelShapes.parse(
          "dim=32,layers=2,heads=4,kv_heads=2,hidden=64,vocab=400,context=64," + "tied=false");

  @TempDir Path tmp;
  private Path dir;
  private LlamaWeights f32;

  @BeforeEach
  void writeTinyModel() throws IOException {
    dir = tmp.resolve("tiny");
    RandomCheckpoint.write(dir, TINY, 7, Dtype.F32);
    f32 = HfCheckpoint.read(dir);
  }

  @Test
  void aFolderWithConfigJsonIsFoundAsAHuggingFaceModel() {
    ModelSource source = new ModelSearchPath(List.of(tmp)).resolve("tiny");
    assertThat(source.format()).isEqualTo(ModelSource.Format.HUGGING_FACE);
    assertThat(source.checkpoint()).isEqualTo(dir);
    assertThat(source.tokenizer()).isEqualTo(dir.resolve("tokenizer.json"));
    LoadedModel loaded = LoadedModel.load(source);
    assertThat(loaded.config()).isEqualTo(TINY);
    assertThat(loaded.tokenizer().vocabSize()).isEqualTo(400);
    assertThat(loaded.stopTokens()).containsExactly(2);
    ((HfTokenizer) loaded.tokenizer()).close();
  }

  @Test
  void halfPrecisionCheckpointsLoadAsFloat32() throws IOException {
    for (Dtype dtype : List.of(Dtype.BF16, Dtype.F16)) {
      Path half = tmp.resolve(dtype.name());
      RandomCheckpoint.write(half, TINY, 7, dtype);
      assertThat(JsonFiles.read(half.resolve("config.json")).get("torch_dtype").getAsString())
          .isEqualTo(dtype == Dtype.BF16 ? "bfloat16" : "float16");
      LlamaWeights w = HfCheckpoint.read(half);
      float[] expected = f32.layers().get(1).w2();
      float[] actual = w.layers().get(1).w2();
      for (int i = 0; i < expected.length; i++) {
        float rounded =
            dtype == Dtype.BF16
                ? Dtype.bf16ToFloat(Dtype.floatToBf16(expected[i]))
                : Dtype.halfToFloat(Dtype.floatToHalf(expected[i]));
        assertThat(actual[i]).isEqualTo(rounded);
      }
    }
  }

  @Test
  void shardedCheckpointsLoadLikeOneFile() throws IOException {
    List<LlamaTensors.Spec> specs = LlamaTensors.layout(TINY);
    int half = specs.size() / 2;
    JsonObject map = new JsonObject();
    writeShard("model-00001-of-00002.safetensors", specs.subList(0, half), map);
    writeShard("model-00002-of-00002.safetensors", specs.subList(half, specs.size()), map);
    JsonObject index = new JsonObject();
    index.add("metadata", new JsonObject());
    index.add("weight_map", map);
    JsonFiles.write(dir.resolve("model.safetensors.index.json"), index);
    Files.delete(dir.resolve("model.safetensors"));

    LlamaWeights sharded = HfCheckpoint.read(dir);
    for (LlamaTensors.Spec s : specs) {
      assertThat(LlamaTensors.get(sharded, s))
          .as(s.name())
          .containsExactly(LlamaTensors.get(f32, s));
    }

    map.addProperty("model.norm.weight", "model-00001-of-00002.safetensors");
    JsonFiles.write(dir.resolve("model.safetensors.index.json"), index);
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(
            "model.safetensors.index.json: weight_map puts tensor"
                + " model.norm.weight in model-00001-of-00002.safetensors, but ")
        .hasMessageContaining("model-00002-of-00002.safetensors holds it");
  }

  @Test
  void configThatDisagreesWithATensorShape() throws IOException {
    editConfig(c -> c.addProperty("intermediate_size", 96));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageStartingWith(dir.resolve("model.safetensors").toString())
        .hasMessageContaining(
            "tensor model.layers.0.mlp.gate_proj.weight has shape [64, 32], but "
                + dir.resolve("config.json")
                + " implies [96, 32] = [intermediate_size, hidden_size]");

    editConfig(
        c -> {
          c.addProperty("intermediate_size", 64);
          c.addProperty("num_key_value_heads", 4);
        });
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .hasMessageContaining(
            "tensor model.layers.0.self_attn.k_proj.weight has shape [16, 32],"
                + " but "
                + dir.resolve("config.json")
                + " implies [32, 32]");
  }

  @Test
  void configWithMoreOrFewerLayersThanTheCheckpoint() throws IOException {
    editConfig(c -> c.addProperty("num_hidden_layers", 3));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(
            dir.resolve("model.safetensors")
                + ": no tensor"
                + " model.layers.2.input_layernorm.weight, which "
                + dir.resolve("config.json"))
        .hasMessageContaining("num_hidden_layers 3");

    editConfig(c -> c.addProperty("num_hidden_layers", 1));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .hasMessageContaining(
            dir.resolve("model.safetensors")
                + ": tensor"
                + " model.layers.1.input_layernorm.weight is not part of a LlamaForCausalLM");
  }

  @Test
  void untiedConfigNeedsItsLmHead() throws IOException {
    Path tied = tmp.resolve("tied");
    RandomCheckpoint.write(
        tied, ModelShapes.parse("dim=32,layers=1,heads=4,vocab=400,context=64"), 1, Dtype.F32);
    JsonObject c = JsonFiles.read(tied.resolve("config.json"));
    c.addProperty("tie_word_embeddings", false);
    JsonFiles.write(tied.resolve("config.json"), c);
    assertThatThrownBy(() -> HfCheckpoint.read(tied))
        .hasMessageContaining("no tensor lm_head.weight");
  }

  @Test
  void unsupportedArchitecturesAndFeaturesAreNamed() throws IOException {
    editConfig(
        c -> {
          JsonArray arch = new JsonArray();
          arch.add("MistralForCausalLM");
          c.add("architectures", arch);
        });
    assertThatThrownBy(() -> LoadedModel.load(HfModels.source("tiny", dir)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage(
            "unsupported architecture MistralForCausalLM in "
                + dir.resolve("config.json")
                + "; Weft reads LlamaForCausalLM models");

    editConfig(
        c -> {
          JsonArray arch = new JsonArray();
          arch.add("LlamaForCausalLM");
          c.add("architectures", arch);
          JsonObject scaling = new JsonObject();
          scaling.addProperty("rope_type", "llama3");
          c.add("rope_scaling", scaling);
        });
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .hasMessageStartingWith(dir.resolve("config.json") + ": rope_scaling {")
        .hasMessageEndingWith("is not supported by Weft's Llama");
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Files.delete(dir.resolve("tokenizer.json"));
    assertThatThrownBy(() -> LoadedModel.load(HfModels.source("tiny", dir)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage(
            dir.resolve("tokenizer.json")
                + ": no such file; a Hugging Face model folder"
                + " needs its tokenizer.json");

    Files.delete(dir.resolve("model.safetensors"));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .hasMessage(
            dir
                + ": has config.json but neither model.safetensors nor"
                + " model.safetensors.index.json");
  }

  @Test
  void aLyingSafetensorsHeaderInAModelFolderNamesFileAndTensor() throws IOException {
    Path file = dir.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    String all = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    // Claim a larger shape for the final norm without changing the header's length.
    String lie =
        all.replaceFirst(
            "\"model.norm.weight\":\\{\"dtype\":\"F32\",\"shape\":\\[32\\]",
            "\"model.norm.weight\":{\"dtype\":\"F32\",\"shape\":[64]");
    assertThat(lie).isNotEqualTo(all);
    Files.write(file, lie.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> HfCheckpoint.read(dir))
        .hasMessageStartingWith(file + ": tensor model.norm.weight: data_offsets")
        .hasMessageEndingWith("hold 128 bytes, but shape [64] of F32 needs 256 bytes");
  }

  private void writeShard(String name, List<LlamaTensors.Spec> specs, JsonObject map)
      throws IOException {
    List<SafetensorsWriter.Entry> entries = new ArrayList<>();
    specs.forEach(s -> entries.add(new SafetensorsWriter.Entry(s.name(), Dtype.F32, s.shape())));
    try (SafetensorsWriter w = SafetensorsWriter.create(dir.resolve(name), entries, Map.of())) {
      for (LlamaTensors.Spec s : specs) {
        w.writeTensor(s.name(), LlamaTensors.get(f32, s));
        map.addProperty(s.name(), name);
      }
    }
  }

  private void editConfig(Consumer<JsonObject> edit) throws IOException {
    Path file = dir.resolve("config.json");
    JsonObject c = JsonFiles.read(file);
    edit.accept(c);
    JsonFiles.write(file, c);
  }
}
