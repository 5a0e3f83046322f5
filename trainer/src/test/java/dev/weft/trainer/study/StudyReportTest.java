package dev.weft.trainer.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.trainer.metrics.IterationRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {

  @TempDir Path out;

  @Test
  void timeToTargetIsTheFirstFullWindowAtOrBelowTheTarget() {
    List<IterationRecord> rs = new ArrayList<>();
    double[] losses = {2, 2, 0.1, 2, 1, 1, 0.5, 0.5, 0.5, 0.5};
    for (int i = 0; i < losses.length; i++) {
      rs.add(new IterationRecord(i % 2, i, 0, i * 0.5, losses[i], 0, 0, 0));
    }
    List<IterationRecord> curve = StudyCell.runningMean(rs, 4);
    // Window 4 means: ..., [1,1,0.5,0.5]=0.75 at t=3.5, [1,0.5,0.5,0.5]=0.625 at 4.0, 0.5 at 4.5
    assertThat(StudyCell.timeToTarget(curve, 4, 0.7)).isEqualTo(4.0);
    assertThat(StudyCell.timeToTarget(curve, 4, 0.2)).isNaN();
    // The early 0.1 alone does not count: the window is not full then.
    assertThat(StudyCell.timeToTarget(curve, 4, 1.05)).isEqualTo(2.5);
  }

  @Test
  void settingsAreNamedByTheirSlowdown() {
    assertThat(Study.settingName(1)).isEqualTo("homogeneous");
    assertThat(Study.settingName(5)).isEqualTo("5x");
    assertThat(Study.settingName(2.5)).isEqualTo("2.5x");
  }

  @Test
  void theReportComparesRipplesWithTheBaselinesBesideThePapersFigures() throws Exception {
    cell("sim-16", "homogeneous", "allreduce", 10);
    cell("sim-16", "homogeneous", "ripples", 9);
    cell("sim-16", "homogeneous", "ps", 45);
    cell("sim-16", "5x", "allreduce", 50);
    cell("sim-16", "5x", "ripples", 20);
    cell("sim-16", "5x", "hop", 30);
    cell("sim-16", "5x", "hop-plain", Double.NaN);
    StudyReport.write(out, 0.7);
    String md = Files.readString(out.resolve("study.md"));
    assertThat(md)
        .contains("## sim-16")
        .contains("| homogeneous | 1.11x | 1.1x (ASPLOS: 1.2x) | 5.00x | 5.1x (ASPLOS: 5.3x) | - |")
        .contains("| 5x | 2.50x | 2x (ASPLOS: 4.4x) | - | 3x | - | - | - |")
        .contains("not reached");
    assertThat(Files.readAllLines(out.resolve("study.csv"))).hasSize(8);
    assertThat(out.resolve("loss-sim-16-5x.png")).isNotEmptyFile();
  }

  private void cell(String scale, String setting, String variant, double ttt) throws Exception {
    Path dir = out.resolve("cells").resolve(scale).resolve(setting).resolve(variant);
    Files.createDirectories(dir);
    StudyCell c = new StudyCell(scale, setting, variant, 60, ttt, 0.6, 0.8, 100);
    Files.writeString(
        dir.resolve("cell.csv"),
        StudyCell.CSV_HEADER + "\n" + c.toCsv() + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("curve.csv"), "wall_seconds,loss\n0,2.0\n1,1.0\n2,0.6\n");
  }
}
