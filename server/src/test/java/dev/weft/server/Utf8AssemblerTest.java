package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Utf8AssemblerTest {

  @Test
  void aCharacterSplitAcrossTokensIsReleasedWhole() {
    byte[] smile = "é😀".getBytes(StandardCharsets.UTF_8); // 2 + 4 bytes
    Utf8Assembler utf8 = new Utf8Assembler();
    assertThat(utf8.push(new byte[] {smile[0]})).isEmpty();
    assertThat(utf8.push(new byte[] {smile[1], smile[2]})).isEqualTo("é");
    assertThat(utf8.push(new byte[] {smile[3], smile[4]})).isEmpty();
    assertThat(utf8.push(new byte[] {smile[5], 'a'})).isEqualTo("😀a");
    assertThat(utf8.flush()).isEmpty();
  }

  @Test
  void invalidBytesBecomeReplacementCharactersAndATruncatedTailIsFlushed() {
    Utf8Assembler utf8 = new Utf8Assembler();
    assertThat(utf8.push(new byte[] {'a', (byte) 0xFF, 'b'})).isEqualTo("a\uFFFDb");
    assertThat(utf8.push(new byte[] {(byte) 0xE2, (byte) 0x82})).isEmpty();
    assertThat(utf8.flush()).isEqualTo("\uFFFD");
  }

  @Property(tries = 200, seed = "20261126")
  void anySplitOfValidTextReassemblesIt(
      @ForAll("text") String text, @ForAll @IntRange(min = 1, max = 5) int piece) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Utf8Assembler utf8 = new Utf8Assembler();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bytes.length; i += piece) {
      String part = utf8.push(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece)));
      assertThat(part).doesNotContain("\uFFFD");
      out.append(part);
    }
    out.append(utf8.flush());
    assertThat(out.toString()).isEqualTo(text);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> text() {
    // Whole code points (half a surrogate pair is not valid text).
    return net.jqwik.api.Arbitraries.of("a", "Z", " ", "é", "€", "😀", "中", "\n")
        .list()
        .ofMaxSize(30)
        .map(parts -> String.join("", parts));
  }
}
