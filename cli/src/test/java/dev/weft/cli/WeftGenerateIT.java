package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./weft generate} as a user would: the launcher script, the packaged jar, a real model
 * from {@code ../shared/models}. Bad input must give a clear message and a non-zero exit.
 */
class WeftGenerateIT {

  private static final Path ROOT =
      Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
  private static final Path SHARED_MODEL = ROOT.resolveSibling("shared/models/stories260K");

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  private Run weft(List<String> prefix, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(ROOT.resolve("weft").toString());
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    Map<String, String> env = pb.environment();
    env.remove("WEFT_MODELS");
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    Path out = tmp.resolve("stdout");
    Path err = tmp.resolve("stderr");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("weft finished in time").isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Run weft(String... args) throws IOException, InterruptedException {
    return weft(List.of(), args);
  }

  static String publishedStory() throws IOException {
    List<String> lines = Files.readAllLines(SHARED_MODEL.resolve("README.md"));
    return lines.stream()
        .dropWhile(l -> !l.startsWith("Known output"))
        .dropWhile(l -> !l.startsWith("    "))
        .takeWhile(l -> l.startsWith("    "))
        .map(l -> l.substring(4))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void greedyGenerationPrintsThePublishedStoryFromItsFirstCharacter() throws Exception {
    Run run =
        weft("generate", "--model", "stories260K", "--temperature", "0", "--max-tokens", "256");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith(publishedStory());
    assertThat(run.err()).containsPattern("\\d+ tokens in [0-9.]+ s \\([0-9.]+ tokens/s\\)");
  }

  @Test
  void generationSucceedsInANetworkNamespaceWithNoNetwork() throws Exception {
    assumeThat(System.getProperty("user.name")).as("unshare -n needs root").isEqualTo("root");
    Run run =
        weft(
            List.of("unshare", "-n"),
            "generate",
            "--model",
            "stories260K",
            "--temperature",
            "0",
            "--max-tokens",
            "64",
            "--prompt",
            "One day, a big bear");
    assertThat(run.exit()).as(run.err()).isZero();
    // Only the continuation is printed; greedy run.c continues this prompt with " named Ben".
    assertThat(run.out()).startsWith(" named Ben").hasSizeGreaterThan(60);
  }

  @Test
  void missingModelListsTheSearchPath() throws Exception {
    Run run = weft("generate", "--model", "no-such-model");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("model 'no-such-model' not found")
        .contains(tmp.resolve("cache/weft/models/no-such-model").toString())
        .contains(ROOT.resolveSibling("shared/models/no-such-model").toString());
    assertThat(run.out()).isEmpty();
  }

  @Test
  void truncatedCheckpointNamesTheTensorAndSizes() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("broken"));
    byte[] full = Files.readAllBytes(SHARED_MODEL.resolve("stories260K.bin"));
    Files.write(model.resolve("broken.bin"), Arrays.copyOf(full, full.length - 5000));
    Files.copy(SHARED_MODEL.resolve("tok512.bin"), model.resolve("tok512.bin"));
    Run run = weft("generate", "--model", model.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("is truncated: tensor").contains("bytes remain");
  }

  @Test
  void promptLongerThanTheContextWindowIsRejected() throws Exception {
    String prompt = "the big red ball ".repeat(200);
    Run run = weft("generate", "--model", "stories260K", "--prompt", prompt);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("context window is 512 tokens");
  }

  @Test
  void invalidSamplingValuesAreRejected() throws Exception {
    Run temperature = weft("generate", "--model", "stories260K", "--temperature", "-1");
    assertThat(temperature.exit()).isEqualTo(2);
    assertThat(temperature.err()).contains("invalid temperature -1.0: must be >= 0");

    Run topP = weft("generate", "--model", "stories260K", "--top-p", "1.5");
    assertThat(topP.exit()).isEqualTo(2);
    assertThat(topP.err()).contains("invalid top-p 1.5");

    Run notANumber = weft("generate", "--model", "stories260K", "--top-k", "many");
    assertThat(notANumber.exit()).isEqualTo(2);
    assertThat(notANumber.err()).contains("--top-k").contains("many");
  }
}
