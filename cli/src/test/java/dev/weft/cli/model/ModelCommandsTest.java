package dev.weft.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft convert} and {@code weft init-model} in-process, as a user runs them. */
class ModelCommandsTest {

  @TempDir Path tmp;

  static CliRun weft(String... args) {
    return CliRun.of(args);
  }

  static Path stories260K() {
    Path root = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
    return root.resolveSibling("shared").resolve("models").resolve("stories260K");
  }

  @Test
  void convertedModelGeneratesWhatTheLlama2cModelGenerates() {
    Path out = tmp.resolve("stories260K-hf");
    CliRun convert = weft("convert", "--from", stories260K().toString(), "--to", out.toString());
    assertThat(convert.code()).as(convert.err()).isZero();
    assertThat(convert.out()).startsWith("converted stories260K (llama2.c, ");
    assertThat(out.resolve("model.safetensors")).isRegularFile();

    String[] generate = {"--prompt", "Lily and Tom", "--temperature", "0", "--max-tokens", "40"};
    CliRun original = weft(concat("generate", "--model", stories260K().toString(), generate));
    CliRun converted = weft(concat("generate", "--model", out.toString(), generate));
    assertThat(original.code()).as(original.err()).isZero();
    assertThat(converted.code()).as(converted.err()).isZero();
    assertThat(converted.out()).hasSizeGreaterThan(40).isEqualTo(original.out());
  }

  @Test
  void initModelWritesARandomModelThatGenerates() throws IOException {
    Path out = tmp.resolve("random");
    String shape = "dim=32,layers=2,heads=4,kv_heads=2,hidden=64,vocab=400,context=128";
    CliRun init = weft("init-model", "--shape", shape, "--out", out.toString(), "--seed", "3");
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("wrote a random " + shape + " model to " + out);
    assertThat(init.out()).contains("seed 3");
    assertThat(Files.readString(out.resolve("config.json"))).contains("\"vocab_size\": 400");

    CliRun gen =
        weft(
            "generate",
            "--model",
            out.toString(),
            "--prompt",
            "hello",
            "--max-tokens",
            "5",
            "--seed",
            "1");
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.err()).contains("finish: ").contains("seed 1");
  }

  @Test
  void badInputIsOneLineAndExitCode2() throws IOException {
    Path busy = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(busy.resolve("notes.txt"), "mine");
    CliRun notEmpty = weft("convert", "--from", stories260K().toString(), "--to", busy.toString());
    assertThat(notEmpty.code()).isEqualTo(2);
    assertThat(notEmpty.err().strip())
        .isEqualTo(
            "weft convert: error: --to "
                + busy
                + " is not empty; choose a new folder or"
                + " empty it first");
    assertThat(Files.readString(busy.resolve("notes.txt"))).isEqualTo("mine");

    CliRun missing =
        weft(
            "convert",
            "--from",
            tmp.resolve("nope").toString(),
            "--to",
            tmp.resolve("x").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .contains("--from " + tmp.resolve("nope") + ": no such file or folder");

    CliRun shape = weft("init-model", "--shape", "7B", "--out", tmp.resolve("y").toString());
    assertThat(shape.code()).isEqualTo(2);
    assertThat(shape.err()).startsWith("weft init-model: error: shape '7B': '7B' is not one of");
    assertThat(shape.err().strip().lines()).hasSize(1);

    CliRun dtype =
        weft(
            "init-model",
            "--shape",
            "15M",
            "--out",
            tmp.resolve("z").toString(),
            "--dtype",
            "int8");
    assertThat(dtype.err().strip())
        .isEqualTo("weft init-model: error: --dtype int8 is not one of" + " f32, bf16, f16");
    assertThat(tmp.resolve("z")).doesNotExist();
  }

  private static String[] concat(String a, String b, String c, String[] rest) {
    String[] out = new String[3 + rest.length];
    out[0] = a;
    out[1] = b;
    out[2] = c;
    System.arraycopy(rest, 0, out, 3, rest.length);
    return out;
  }
}
