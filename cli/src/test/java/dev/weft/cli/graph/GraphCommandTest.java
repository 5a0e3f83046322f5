package dev.weft.cli.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft graph} end to end in-process: the checksum line is the same on every backend. */
class GraphCommandTest {

  @TempDir Path dir;

  static String checksum(CliRun run) {
    return run.out().lines().filter(l -> l.startsWith("checksum: ")).findFirst().orElseThrow();
  }

  static CliRun weft(String... args) {
    return CliRun.of(args);
  }

  @Test
  void checksumsAgreeAcrossBackends() {
    String[][] cases = {
      {"pagerank", "--graph", "kron:9"},
      {"spmv", "--graph", "urand:9"},
      {"bfs", "--graph", "kron:9", "--source", "3"},
      {"sssp", "--graph", "urand:9"},
      {"cc", "--graph", "kron:9"},
      {"cf", "--graph", "ratings:7", "--iterations", "20"},
    };
    for (String[] c : cases) {
      List<String> sums = new ArrayList<>();
      for (String backend : new String[] {"reference", "java", "tiles", "pytorch"}) {
        List<String> args = new ArrayList<>(List.of("graph"));
        args.addAll(List.of(c));
        args.addAll(List.of("--backend", backend, "--threads", "2"));
        CliRun r = weft(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("time: ");
        sums.add(checksum(r));
      }
      assertThat(sums).as(c[0]).containsOnly(sums.get(0));
    }
  }

  @Test
  void tilesBackendPrintsTheCrossbarEstimate() {
    CliRun r = weft("graph", "pagerank", "--graph", "kron:8", "--backend", "tiles");
    assertThat(r.out()).contains("tiles: passes=").contains("crossbar model: ");
  }

  @Test
  void fileGraphsAndBadInput() throws Exception {
    Path ok = dir.resolve("g.el");
    Files.writeString(ok, "# tiny\n1 2 4\n2 3 1.5\n1 3 9\n");
    CliRun r =
        weft(
            "graph",
            "sssp",
            "--graph",
            ok.toString(),
            "--weighted",
            "--one-based",
            "--source",
            "0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(checksum(r))
        .isEqualTo("checksum: sssp reached=3 dist_sum=9.500000 max_dist=5.500000");

    Path bad = dir.resolve("bad.el");
    Files.writeString(bad, "0 1\n1 two\n");
    r = weft("graph", "bfs", "--graph", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.el:2").contains("'two' is not an integer");

    r = weft("graph", "bfs", "--graph", ok.toString(), "--weighted", "--vertices", "2");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("g.el:2").contains("out of range");

    Path neg = dir.resolve("neg.wel");
    Files.writeString(neg, "0 1 3\n1 2 -1\n");
    r = weft("graph", "sssp", "--graph", neg.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("edge 1→2 has weight -1.0");

    r = weft("graph", "bfs", "--graph", "kron:8", "--backend", "gpu");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("available: reference, java, tiles, pytorch");

    r = weft("graph", "cf", "--graph", "kron:8");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("ratings:SCALE");
  }
}
