package dev.weft.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSearchPathTest {

  @Test
  void standardOrderIsEnvThenUserCacheThenSharedModels(@TempDir Path tmp) {
    Path checkout = tmp.resolve("work").resolve("main");
    ModelSearchPath path =
        ModelSearchPath.standard(Optional.of("/a:/b"), tmp.resolve("cache"), Optional.of(checkout));
    assertThat(path.directories())
        .containsExactly(
            Path.of("/a"),
            Path.of("/b"),
            tmp.resolve("cache").resolve("weft").resolve("models"),
            tmp.resolve("work").resolve("shared").resolve("models"));
  }

  @Test
  void findsAModelByNameInTheFirstFolderHoldingIt(@TempDir Path empty) {
    ModelSearchPath path = new ModelSearchPath(List.of(empty, TestModels.sharedModels()));
    ModelSource source = path.resolve("stories260K");
    assertThat(source.name()).isEqualTo("stories260K");
    assertThat(source.checkpoint().getFileName().toString()).isEqualTo("stories260K.bin");
    assertThat(source.tokenizer().getFileName().toString()).isEqualTo("tok512.bin");
  }

  @Test
  void acceptsAFolderOrACheckpointPath() {
    Path dir = TestModels.stories260K();
    ModelSearchPath nowhere = new ModelSearchPath(List.of());
    assertThat(nowhere.resolve(dir.toString()).checkpoint()).endsWith(Path.of("stories260K.bin"));
    assertThat(nowhere.resolve(dir.resolve("stories260K.bin").toString()).tokenizer())
        .endsWith(Path.of("tok512.bin"));
  }

  @Test
  void missingModelListsEveryPlaceLooked(@TempDir Path tmp) {
    ModelSearchPath path = new ModelSearchPath(List.of(tmp.resolve("x"), tmp.resolve("y")));
    assertThatThrownBy(() -> path.resolve("llama-9000"))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("model 'llama-9000' not found")
        .hasMessageContaining(tmp.resolve("x").resolve("llama-9000").toString())
        .hasMessageContaining(tmp.resolve("y").resolve("llama-9000").toString());
  }

  @Test
  void folderWithoutModelFilesIsExplained(@TempDir Path tmp) throws IOException {
    Files.createDirectories(tmp.resolve("m"));
    Files.writeString(tmp.resolve("m").resolve("notes.txt"), "hi");
    ModelSearchPath path = new ModelSearchPath(List.of(tmp));
    assertThatThrownBy(() -> path.resolve("m"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("no model found there");
  }
}
