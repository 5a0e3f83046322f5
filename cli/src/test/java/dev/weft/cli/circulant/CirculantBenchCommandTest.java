package dev.weft.cli.circulant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft circulant bench} end to end in-process, on small shapes. */
class CirculantBenchCommandTest {

  @TempDir Path dir;

  @Test
  void printsARowPerBackendAndTheBestSpeedupLast() throws Exception {
    Path csv = dir.resolve("bench.csv");
    CliRun run =
        CliRun.of(
            "circulant",
            "bench",
            "--n",
            "64",
            "--k",
            "8",
            "--batch",
            "2",
            "--seconds",
            "0",
            "--csv",
            csv.toString());
    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).contains("weights 2048 bytes block-circulant vs 16384 dense");
    assertThat(lines).anyMatch(l -> l.startsWith("reference "));
    assertThat(lines.get(lines.size() - 1)).matches("best speedup over dense: [0-9.]+×");
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows.get(0)).startsWith("backend,n,k,batch");
    assertThat(rows).hasSize(lines.size() - 2);
  }

  @Test
  void badShapeExitsWithCodeTwo() {
    CliRun run = CliRun.of("circulant", "bench", "--n", "8", "--k", "16");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("1 <= k <= n");
  }

  @Test
  void unknownBackendNamesTheAvailableOnes() {
    CliRun run = CliRun.of("circulant", "bench", "--n", "8", "--k", "4", "--backend", "nope");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("unknown circulant backend 'nope'; available: reference");
  }
}
