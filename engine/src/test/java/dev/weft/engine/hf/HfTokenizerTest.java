package dev.weft.engine.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.weft.engine.model.InvalidModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding of GPT-2 style byte-level vocabularies, and tokenizer files that cannot be used. */
class HfTokenizerTest {

  @TempDir Path tmp;

  /**
   * A byte-level BPE as Llama 3 uses: ids 0–255 are the 256 byte characters of GPT-2's table, then
   * "Ġh" (space + h, merged), then the special tokens.
   */
  private Path byteLevelTokenizer() throws IOException {
    JsonObject vocab = new JsonObject();
    int id = 0;
    for (int b = 0; b < 256; b++) {
      vocab.addProperty(byteLevelChar(b), id++);
    }
    vocab.addProperty("Ġh", id++);
    JsonArray merges = new JsonArray();
    JsonArray m = new JsonArray();
    m.add("Ġ");
    m.add("h");
    merges.add(m);
    JsonObject model = new JsonObject();
    model.addProperty("type", "BPE");
    model.add("vocab", vocab);
    model.add("merges", merges);
    JsonObject byteLevel = new JsonObject();
    byteLevel.addProperty("type", "ByteLevel");
    byteLevel.addProperty("add_prefix_space", false);
    byteLevel.addProperty("trim_offsets", true);
    byteLevel.addProperty("use_regex", true);
    JsonArray added = new JsonArray();
    added.add(special(257, "<|begin_of_text|>"));
    added.add(special(258, "<|end_of_text|>"));
    JsonObject json = new JsonObject();
    json.addProperty("version", "1.0");
    json.add("added_tokens", added);
    json.add("pre_tokenizer", byteLevel);
    json.add("decoder", byteLevel);
    json.add("model", model);
    Path file = tmp.resolve("tokenizer.json");
    JsonFiles.write(file, json);
    return file;
  }

  @Test
  void byteLevelVocabulariesDecodeThroughGpt2sByteTable() throws IOException {
    try (HfTokenizer tok =
        HfTokenizer.load(byteLevelTokenizer(), OptionalInt.empty(), Optional.empty())) {
      assertThat(tok.bos()).isEqualTo(257);
      assertThat(tok.eos()).isEqualTo(258);
      assertThat(tok.vocabSize()).isEqualTo(259);
      int[] ids = tok.encode("a hé", true);
      // "a", then "Ġh" merged, then é as its two UTF-8 bytes C3 A9.
      assertThat(ids).containsExactly(257, 'a', 256, 0xC3, 0xA9);
      assertThat(tok.decodePiece(257, 256)).isEqualTo(" h".getBytes(StandardCharsets.UTF_8));
      assertThat(tok.decodePiece(256, 0xC3)).containsExactly((byte) 0xC3);
      assertThat(tok.decode(257, new int[] {'a', 256, 0xC3, 0xA9})).isEqualTo("a hé");
      // No dummy prefix in byte-level tokenizers: nothing is stripped after BOS.
      assertThat(tok.decode(257, new int[] {256})).isEqualTo(" h");
      assertThat(tok.decodePiece(0, 258)).isEmpty();
    }
  }

  @Test
  void unusableTokenizerFilesAreNamed() throws IOException {
    Path file = tmp.resolve("tokenizer.json");
    Files.writeString(file, "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", 0.0]]}}");
    assertThatThrownBy(() -> HfTokenizer.load(file, OptionalInt.of(0), Optional.of(0)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage(file + ": tokenizer model Unigram is not supported; Weft reads BPE tokenizers");
    Files.writeString(file, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}");
    assertThatThrownBy(() -> HfTokenizer.load(file, OptionalInt.of(0), Optional.of(0)))
        .hasMessageStartingWith(file + ": not valid JSON");
    Files.writeString(
        file, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}");
    assertThatThrownBy(() -> HfTokenizer.load(file, OptionalInt.empty(), Optional.of(0)))
        .hasMessageContaining(file + ": no bos_token_id in config.json and no special token");
  }

  private static JsonObject special(int id, String content) {
    JsonObject t = new JsonObject();
    t.addProperty("id", id);
    t.addProperty("content", content);
    t.addProperty("single_word", false);
    t.addProperty("lstrip", false);
    t.addProperty("rstrip", false);
    t.addProperty("normalized", false);
    t.addProperty("special", true);
    return t;
  }

  /** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest shift to 256+. */
  private static String byteLevelChar(int b) {
    boolean direct = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
    if (direct) {
      return String.valueOf((char) b);
    }
    int n = 0;
    for (int x = 0; x < b; x++) {
      boolean d = (x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE);
      if (!d) {
        n++;
      }
    }
    return String.valueOf((char) (256 + n));
  }
}
