package dev.weft.engine.llama2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.TestModels;
import dev.weft.engine.model.InvalidModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Llama2cTokenizerTest {

  private static final Llama2cTokenizer TOKENIZER =
      Llama2cTokenizer.load(TestModels.stories260K().resolve("tok512.bin"), 512);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Once upon a time",
        "naïve café, São Paulo — 東京 😀",
        "tabs\tand\nnewlines\r\n",
        "  leading spaces",
        "\u0000nul and \u007fdel",
        "Ω≈ç√∫˜µ≤≥÷ 🏳️‍🌈 مرحبا"
      })
  void roundTripsTextIncludingNonAscii(String text) {
    int[] ids = TOKENIZER.encode(text, true);
    assertThat(ids[0]).isEqualTo(TOKENIZER.bos());
    assertThat(TOKENIZER.decode(TOKENIZER.bos(), Arrays.copyOfRange(ids, 1, ids.length)))
        .isEqualTo(text);
  }

  @Test
  void charactersOutsideTheVocabularyFallBackToByteTokens() {
    // '東' is not among the 512 pieces: its three UTF-8 bytes become <0xE6><0x9D><0xB1>.
    int[] ids = TOKENIZER.encode("東", false);
    byte[] utf8 = "東".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int[] bytes = Arrays.stream(ids).skip(1).toArray(); // after the dummy-prefix space
    assertThat(bytes)
        .containsExactly((utf8[0] & 0xFF) + 3, (utf8[1] & 0xFF) + 3, (utf8[2] & 0xFF) + 3);
    assertThat(TOKENIZER.decodePiece(0, bytes[0])).containsExactly(utf8[0]);
  }

  @Test
  void emptyPromptIsJustBos() {
    assertThat(TOKENIZER.encode("", true)).containsExactly(1);
    assertThat(TOKENIZER.encode("", false)).isEmpty();
  }

  @Test
  void firstPieceAfterBosLosesItsDummySpace() {
    int[] ids = TOKENIZER.encode("Hello", true);
    assertThat(
            new String(TOKENIZER.decodePiece(1, ids[1]), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotStartWith(" ");
    assertThat(
            new String(TOKENIZER.decodePiece(5, ids[1]), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith(" ");
  }

  @Property(tries = 300, seed = "20261126")
  void randomStringsRoundTrip(@ForAll("unicodeText") String text) {
    int[] ids = TOKENIZER.encode(text, true);
    assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id < 512)).isTrue();
    assertThat(TOKENIZER.decode(TOKENIZER.bos(), Arrays.copyOfRange(ids, 1, ids.length)))
        .isEqualTo(text);
  }

  @Provide
  Arbitrary<String> unicodeText() {
    // Valid code points only (no lone surrogates), mixing ASCII, accented, CJK and emoji.
    Arbitrary<Integer> codePoints =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0x20, 0x7E),
            Arbitraries.integers().between(0, 0x1F),
            Arbitraries.integers().between(0xA0, 0x24F),
            Arbitraries.integers().between(0x4E00, 0x9FFF),
            Arbitraries.integers().between(0x1F300, 0x1FAFF));
    return codePoints
        .list()
        .ofMaxSize(40)
        .map(
            cps -> {
              StringBuilder sb = new StringBuilder();
              cps.forEach(sb::appendCodePoint);
              return sb.toString();
            });
  }

  @Test
  void truncatedTokenizerIsReportedWithTheTokenIndex(@TempDir Path dir) throws IOException {
    byte[] full = Files.readAllBytes(TestModels.stories260K().resolve("tok512.bin"));
    Path cut = dir.resolve("tok512.bin");
    Files.write(cut, Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> Llama2cTokenizer.load(cut, 512))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("token");
  }

  @Test
  void tokenizerForAnotherVocabularyIsRejected() {
    Path file = TestModels.stories260K().resolve("tok512.bin");
    assertThatThrownBy(() -> Llama2cTokenizer.load(file, 256))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("does not match the model's vocabulary size");
    assertThat(List.of(file)).isNotEmpty();
  }
}
