package dev.weft.trainer.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
  void theRunningMeanAveragesTheLastWindowOfAllWorkers() {
    List<IterationRecord> rs = new ArrayList<>();
    double[] losses = {2, 2, 0.1, 2, 1, 1, 0.5, 0.5};
    for (int i = 0; i < losses.length; i++) {
      rs.add(new IterationRecord(i % 2, i, 0, i * 0.5, losses[i], 0, 0, 0));
    }
    List<IterationRecord> curve = StudyCell.runningMean(rs, 4);
    assertThat(curve.get(1).loss()).isEqualTo(2.0);
    assertThat(curve.get(7).loss()).isEqualTo(0.75);
    assertThat(curve.get(7).wallSeconds()).isEqualTo(3.5);
  }

  @Test
  void theProbeEvaluatesTheWorkerAverageAndTimeToTargetIsItsFirstHit() {
    // "Accuracy" here is the first parameter of the mean model, to check what gets evaluated.
    AccuracyCurve curve = new AccuracyCurve(0.5, p -> p[0], 0.75);
    curve.observe(0.5, List.of(new float[] {0.2f, 9}, new float[] {0.4f, 9}));
    curve.observe(1.0, List.of(new float[] {0.9f, 9}, new float[] {0.7f, 9}));
    // After the target only every 4th observation is evaluated.
    for (int k = 1; k <= 4; k++) {
      curve.observe(1.0 + 0.5 * k, List.of(new float[] {0.6f, 9}, new float[] {0.6f, 9}));
    }
    List<AccuracyCurve.Point> points = curve.points();
    assertThat(points).extracting(AccuracyCurve.Point::seconds).containsExactly(0.5, 1.0, 3.0);
    double[] expected = {0.3, 0.8, 0.6};
    for (int i = 0; i < expected.length; i++) {
      assertThat(points.get(i).accuracy()).isCloseTo(expected[i], within(1e-6));
    }
    assertThat(AccuracyCurve.timeToTarget(points, 0.75)).isEqualTo(1.0);
    assertThat(AccuracyCurve.timeToTarget(points, 0.85)).isNaN();
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
    StudyReport.write(out, 0.8, 2000);
    String md = Files.readString(out.resolve("study.md"));
    assertThat(md)
        .contains("## sim-16")
        .contains("| homogeneous | 1.11x | 1.1x (ASPLOS: 1.2x) | 5.00x | 5.1x (ASPLOS: 5.3x) | - |")
        .contains("| 5x | 2.50x | 2x (ASPLOS: 4.4x) | - | 3x | - | - | - |")
        .contains("not reached");
    assertThat(Files.readAllLines(out.resolve("study.csv"))).hasSize(8);
    assertThat(out.resolve("loss-sim-16-5x.png")).isNotEmptyFile();
    assertThat(out.resolve("accuracy-sim-16-5x.png")).isNotEmptyFile();
  }

  private void cell(String scale, String setting, String variant, double ttt) throws Exception {
    Path dir = out.resolve("cells").resolve(scale).resolve(setting).resolve(variant);
    Files.createDirectories(dir);
    StudyCell c = new StudyCell(scale, setting, variant, 60, ttt, 0.82, 0.6, 0.8, 100);
    Files.writeString(
        dir.resolve("cell.csv"),
        StudyCell.CSV_HEADER + "\n" + c.toCsv() + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("curve.csv"), "wall_seconds,loss\n0,2.0\n1,1.0\n2,0.6\n");
    Files.writeString(dir.resolve("accuracy.csv"), "seconds,accuracy\n0.5,0.4\n1,0.7\n2,0.82\n");
  }
}
