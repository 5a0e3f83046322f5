package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.StepRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's step profiler: the bounded ring, the append-only file and the CSV form. */
class StepLogTest {

  @TempDir Path tmp;

  static ServerStep step(long i) {
    StepRecord r =
        new StepRecord(
            i, 1000 * i, 10, 700, 5, 3, 1, 2, 16, 2, 256, 40, 32, 0, 0, 0, 0, 3, 0, 9, 100, false);
    return new ServerStep(r, 200, 30, 72, 9, 2);
  }

  @Test
  void ringKeepsTheLastStepsAndReadersGetWhatFollowsTheirMark() {
    StepLog log = new StepLog(new StepLogOptions(4, java.util.Optional.empty()));
    for (long i = 0; i < 10; i++) {
      log.add(step(i));
    }
    assertThat(log.total()).isEqualTo(10);
    assertThat(log.recent()).extracting(s -> s.record().step()).containsExactly(6L, 7L, 8L, 9L);
    assertThat(log.since(8)).extracting(s -> s.record().step()).containsExactly(8L, 9L);
    // A mark older than the ring gets what the ring still holds.
    assertThat(log.since(2)).hasSize(4);
    assertThat(log.since(10)).isEmpty();
  }

  @Test
  void offKeepsNothingButCounts() {
    StepLog log = new StepLog(StepLogOptions.off());
    log.add(step(0));
    assertThat(log.total()).isEqualTo(1);
    assertThat(log.recent()).isEmpty();
  }

  @Test
  void fileGetsOneHeaderAndEveryStepAcrossRestarts() throws IOException {
    Path file = tmp.resolve("steps.csv");
    try (StepLog log = new StepLog(new StepLogOptions(2, java.util.Optional.of(file)))) {
      for (long i = 0; i < 5; i++) {
        log.add(step(i));
      }
    }
    try (StepLog log = new StepLog(StepLogOptions.off().withFile(file))) {
      log.add(step(5));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines.get(0)).isEqualTo(ServerStep.CSV_HEADER);
    assertThat(lines).hasSize(7);
    for (int i = 1; i < lines.size(); i++) {
      assertThat(ServerStep.fromCsvRow(lines.get(i))).isEqualTo(step(i - 1));
    }
  }

  @Test
  void csvRowRoundTripsAndSplitsTheRun() {
    ServerStep s = step(3);
    assertThat(s.forwardNanos()).isEqualTo(500);
    assertThat(ServerStep.CSV_HEADER.split(",")).hasSize(s.toCsvRow().split(",").length);
    assertThat(ServerStep.fromCsvRow(s.toCsvRow())).isEqualTo(s);
    assertThatThrownBy(() -> ServerStep.fromCsvRow("1,2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too few columns");
  }

  @Test
  void unwritableFileFailsAtStart() {
    Path file = tmp.resolve("no/such/dir/steps.csv");
    assertThatThrownBy(() -> new StepLog(StepLogOptions.off().withFile(file)))
        .hasMessageContaining("cannot open the step log " + file);
    assertThatThrownBy(() -> new StepLogOptions(-1, java.util.Optional.empty()))
        .hasMessageContaining("must be >= 0");
  }
}
