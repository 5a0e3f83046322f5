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
            "--lr-schedule",
            "cosine",
            "--out",
            out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.startsWith("dense "));
    assertThat(lines).anyMatch(l -> l.startsWith("direct ") && l.contains(" 4 "));
    assertThat(lines).anyMatch(l -> l.startsWith("admm "));
    List<String> csv = Files.readAllLines(Path.of(out + ".csv"));
    assertThat(csv).hasSize(4);
    assertThat(csv.get(0)).isEqualTo(TrainReport.HEADER);
    // 10 steps of 4 windows of 8 characters over the 90% of 1,800 characters kept for training.
    assertThat(TrainReport.parse(csv.get(1)).get(5)).isEqualTo("0.20");
    assertThat(csv.get(3)).contains(",cosine,");
    String md = Files.readString(Path.of(out + ".md"));
    // A width other than the task's default (128) is part of the task's name in the tables.
    assertThat(md).contains("| char-gru-h16 | admm | 4 | 10 | 0.20 | 0.002 cosine |");
    assertThat(md).contains("bits/char").contains("`weft circulant train --task char-gru");

    Files.delete(Path.of(out + ".md"));
    CliRun rewrite =
        CliRun.of(
            "circulant",
            "train",
            "--task",
            "char-gru",
            "--out",
            out.toString(),
            "--rewrite-report");
    assertThat(rewrite.code()).as(rewrite.err()).isZero();
    assertThat(Files.readString(Path.of(out + ".md"))).isEqualTo(md);
  }

  @Test
  void refusesToAppendToAnOlderCsvFormat() throws Exception {
    Path text = dir.resolve("corpus.txt");
    Files.writeString(text, "abcdefgh ".repeat(100));
    Path out = dir.resolve("old");
    Files.writeString(Path.of(out + ".csv"), "date,task,method,k,steps,batch\n");
    CliRun run =
        CliRun.of(
            "circulant",
            "train",
            "--task",
            "char-gru",
            "--data",
            text.toString(),
            "--method",
            "dense",
            "--steps",
            "2",
            "--batch",
            "2",
            "--length",
            "4",
            "--hidden",
            "8",
            "--test-size",
            "2",
            "--out",
            out.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("old.csv has another header");
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
    CliRun schedule = CliRun.of("circulant", "train", "--task", "mlp", "--lr-schedule", "step");
    assertThat(schedule.code()).isEqualTo(2);
    assertThat(schedule.err()).contains("unknown --lr-schedule 'step'");
  }
}
