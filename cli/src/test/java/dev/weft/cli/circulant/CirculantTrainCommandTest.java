package dev.weft.cli.circulant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft circulant train} end to end on a tiny character corpus, and its input errors. */
class CirculantTrainCommandTest {

  @TempDir Path dir;

  @Test
  void trainsEveryMethodAndWritesCsvAndMarkdown() throws Exception {
    Path text = dir.resolve("corpus.txt");
    Files.writeString(text, "the quick brown fox jumps over the lazy dog. ".repeat(40));
    Path out = dir.resolve("results/char");
    CliRun run =
        CliRun.of(
            "circulant",
            "train",
            "--task",
            "char-gru",
            "--data",
            text.toString(),
            "--method",
            "dense,direct,admm",
            "--k",
            "4",
            "--steps",
            "10",
            "--batch",
            "4",
            "--length",
            "8",
            "--hidden",
            "16",
            "--test-size",
            "4",
            "--out",
            out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.startsWith("dense "));
    assertThat(lines).anyMatch(l -> l.startsWith("direct ") && l.contains(" 4 "));
    assertThat(lines).anyMatch(l -> l.startsWith("admm "));
    List<String> csv = Files.readAllLines(Path.of(out + ".csv"));
    assertThat(csv).hasSize(4);
    assertThat(csv.get(0)).startsWith("date,task,method,k");
    assertThat(Files.readString(Path.of(out + ".md"))).contains("| char-gru | admm | 4 |");
  }

  @Test
  void unknownTaskAndBadBlockSizeExitWithCodeTwo() {
    CliRun bad = CliRun.of("circulant", "train", "--task", "resnet");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown task 'resnet'");
    CliRun zero =
        CliRun.of("circulant", "train", "--task", "mlp", "--method", "direct", "--k", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("block size k must be >= 1");
  }
}
