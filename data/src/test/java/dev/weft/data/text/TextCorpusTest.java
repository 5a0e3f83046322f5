package dev.weft.data.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.data.mnist.DatasetFormatException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

  @TempDir Path tmp;

  @Test
  void fortuneFilesSplitAtPercentLines() throws Exception {
    Path f =
        Files.writeString(tmp.resolve("cookies"), "First one.\n%\n\n%\nSecond\n  line two\n%\n");
    TextCorpus c = TextCorpus.load(f);
    assertThat(c.documents()).containsExactly("First one.", "Second\n  line two");
    assertThat(c.files()).containsExactly(f);
  }

  @Test
  void aDirectorySkipsBinaryFilesAndReadsALinkedFileOnce() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("fortunes"));
    Files.writeString(dir.resolve("a"), "alpha\n%\nbeta\n");
    Files.write(dir.resolve("a.dat"), new byte[] {0, 0, 0, 2, 1});
    Files.createSymbolicLink(dir.resolve("a.u8"), Path.of("a"));
    Files.writeString(dir.resolve("b"), "a plain file is one document\nof two lines\n");
    TextCorpus c = TextCorpus.load(dir);
    assertThat(c.documents())
        .containsExactly("alpha", "beta", "a plain file is one document\nof two lines");
    assertThat(c.files()).containsExactly(dir.resolve("a"), dir.resolve("b"));
    assertThat(c.characters()).isEqualTo(5 + 4 + 41);
  }

  @Test
  void badCorporaAreNamed() throws Exception {
    assertThatThrownBy(() -> TextCorpus.load(tmp.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
    Path bin = Files.write(tmp.resolve("x.bin"), new byte[] {65, 0, 66});
    assertThatThrownBy(() -> TextCorpus.load(bin))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("x.bin: not a text file (NUL byte at offset 1)");
    Path latin1 = Files.write(tmp.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
    assertThatThrownBy(() -> TextCorpus.load(latin1))
        .hasMessageContaining("latin1.txt: not valid UTF-8 text");
    Path empty = Files.writeString(tmp.resolve("empty"), "%\n\n%\n");
    assertThatThrownBy(() -> TextCorpus.load(empty)).hasMessageContaining("holds no text");
    Path onlyBinary = Files.createDirectory(tmp.resolve("bin"));
    Files.write(onlyBinary.resolve("y.dat"), new byte[] {0});
    assertThatThrownBy(() -> TextCorpus.load(onlyBinary))
        .hasMessageContaining("no text files in this directory");
  }

  @Test
  void theHeldOutSplitIsSeededDisjointAndComplete() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      text.append("doc ").append(i).append("\n%\n");
    }
    TextCorpus c = TextCorpus.load(Files.writeString(tmp.resolve("docs"), text));
    TextCorpus.Split a = c.split(0.1, 3);
    assertThat(a.heldOut()).hasSize(5);
    assertThat(a.train()).hasSize(45).doesNotContainAnyElementsOf(a.heldOut());
    assertThat(c.split(0.1, 3)).isEqualTo(a);
    assertThat(c.split(0.1, 4).heldOut()).isNotEqualTo(a.heldOut());
    assertThat(c.firstDocuments(2).split(0.01, 1).heldOut()).hasSize(1);
    assertThatThrownBy(() -> c.split(1.0, 1)).hasMessageContaining("must be in (0, 1)");
    assertThatThrownBy(() -> c.firstDocuments(1).split(0.5, 1)).hasMessageContaining("at least 2");
  }

  @Test
  void debiansFortunesLoad() throws Exception {
    assumeTrue(Files.isDirectory(TextCorpus.FORTUNES_DIR), "fortunes not installed");
    TextCorpus c = TextCorpus.load(TextCorpus.FORTUNES_DIR.resolve("fortunes"));
    assertThat(c.documents().size()).isGreaterThan(300);
    assertThat(c.documents()).allSatisfy(d -> assertThat(d).doesNotContain("\n%\n"));
  }
}
