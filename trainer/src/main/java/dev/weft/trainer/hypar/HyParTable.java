package dev.weft.trainer.hypar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's ten networks at one array size: communication of dp, mp and HyPar, the gap to the
 * exhaustive optimum, modelled speed-up and energy efficiency over dp, beside the published
 * numbers. Writes {@code table.md} and {@code table.csv}.
 */
public final class HyParTable {

  /** Published performance over dp at 16 accelerators (HyPar, HPCA 2019), in the paper's order. */
  static final double[] PAPER_SPEEDUP = {
    23.48, 1.00, 3.05, 1.23, 3.27, 4.97, 4.06, 3.92, 3.21, 2.73
  };

  private HyParTable() {}

  /** One network's numbers. */
  public record Row(Network net, PlanReport report, Plan fastest, ArrayModel.Estimate fastestEst) {}

  public static List<Row> rows(int accelerators, ArrayModel model) throws IOException {
    List<Row> out = new ArrayList<>();
    int depth = HyPar.levels(accelerators);
    for (String name : NetworkFile.BUNDLED) {
      Network net = NetworkFile.bundled(name);
      Plan fastest = Exhaustive.fastest(net, depth, model);
      out.add(
          new Row(
              net,
              new PlanReport(net, accelerators, model),
              fastest,
              model.estimate(net, fastest)));
    }
    return out;
  }

  static double gb(Plan p) {
    return p.totalBytes() / 1e9;
  }

  static double speedup(PlanReport r, ArrayModel.Estimate e) {
    return r.dp().estimate().seconds() / e.seconds();
  }

  static double commSpeedup(PlanReport r, ArrayModel.Estimate e) {
    return r.dp().estimate().commSeconds() / e.commSeconds();
  }

  static double geomean(List<Double> v) {
    return Math.exp(v.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
  }

  /** Writes the table; returns the Markdown. */
  public static String write(Path dir, int accelerators, ArrayModel model, String command)
      throws IOException {
    List<Row> rows = rows(accelerators, model);
    StringBuilder csv = new StringBuilder();
    csv.append("network,layers,batch,dp_gb,mp_gb,hypar_gb,optimal_gb,conv_dp_fc_mp_gb,")
        .append("speedup_vs_dp,comm_speedup_vs_dp,energy_eff_vs_dp,fastest_speedup_vs_dp,")
        .append("paper_speedup_vs_dp,");
    for (int h = 1; h <= HyPar.levels(accelerators); h++) {
      csv.append("H").append(h).append(h == HyPar.levels(accelerators) ? "\n" : ",");
    }
    StringBuilder md = new StringBuilder();
    md.append("# HyPar: the paper's ten networks at ")
        .append(accelerators)
        .append(" accelerators\n\n");
    md.append("Command: `").append(command).append("`  \n");
    md.append(
        String.format(
            Locale.ROOT,
            "Array model: %.2f TOPS per accelerator, %.0f GB/s per H-tree link and direction, %.1f pJ/op,"
                + " %.0f pJ/byte (cited in ArrayModel; discussion in README.md).%n%n",
            model.opsPerSecond() / 1e12,
            model.bandwidth(1) / 1e9,
            model.joulesPerOp() * 1e12,
            model.joulesPerByte() * 1e12));
    md.append(
        "Communication is the paper's per-step total (com_H1 + 2 com_H2 + 4 com_H3 + 8 com_H4,"
            + " 4-byte values, 1 GB = 1e9 B). Speed-up = modelled step time of dp / of the plan;"
            + " comm speed-up = the same for communication time alone (compute free); energy eff. ="
            + " energy of dp / of the plan. optimal = least communication over all 2^(4L)"
            + " assignments; fastest = least modelled time.\n\n");
    md.append(
        "| network | L | batch | dp GB | mp GB | HyPar GB | optimal GB | HyPar speed-up"
            + " | comm speed-up | energy eff. | fastest speed-up | paper speed-up |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Double> gDp = new ArrayList<>();
    List<Double> gMp = new ArrayList<>();
    List<Double> gHy = new ArrayList<>();
    List<Double> gSp = new ArrayList<>();
    List<Double> gCs = new ArrayList<>();
    List<Double> gEe = new ArrayList<>();
    List<Double> gVsTrick = new ArrayList<>();
    StringBuilder bits = new StringBuilder();
    bits.append(
        "\n## HyPar's choices (0 = dp, 1 = mp; one bit per weighted layer, input first)\n\n");
    bits.append("| network | H1 | H2 | H3 | H4 | comm over optimal | time over fastest |\n");
    bits.append("|---|---|---|---|---|---:|---:|\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      PlanReport p = r.report();
      double sp = speedup(p, p.hypar().estimate());
      double cs = commSpeedup(p, p.hypar().estimate());
      double ee = p.dp().estimate().joules() / p.hypar().estimate().joules();
      double fs = speedup(p, r.fastestEst());
      gDp.add(gb(p.dp().plan()));
      gMp.add(gb(p.mp().plan()));
      gHy.add(gb(p.hypar().plan()));
      gSp.add(sp);
      gCs.add(cs);
      gEe.add(ee);
      gVsTrick.add(p.convDpFcMp().estimate().seconds() / p.hypar().estimate().seconds());
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.4g | %.4g | %.4g | %.4g | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
              r.net().name(),
              r.net().size(),
              r.net().batch(),
              gb(p.dp().plan()),
              gb(p.mp().plan()),
              gb(p.hypar().plan()),
              gb(p.optimal().plan()),
              sp,
              cs,
              ee,
              fs,
              PAPER_SPEEDUP[i]));
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%d,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%.4f,%.4f,%.4f,%.2f,%s%n",
              r.net().name(),
              r.net().size(),
              r.net().batch(),
              gb(p.dp().plan()),
              gb(p.mp().plan()),
              gb(p.hypar().plan()),
              gb(p.optimal().plan()),
              gb(p.convDpFcMp().plan()),
              sp,
              cs,
              ee,
              fs,
              PAPER_SPEEDUP[i],
              String.join(",", p.hypar().plan().allBits())));
      bits.append("| ")
          .append(r.net().name())
          .append(" | ")
          .append(String.join(" | ", p.hypar().plan().allBits()))
          .append(" | ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%+.3f%% | %+.3f%% |%n",
                  100 * (p.hypar().plan().totalElements() / p.optimal().plan().totalElements() - 1),
                  100 * (p.hypar().estimate().seconds() / r.fastestEst().seconds() - 1)));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| **geomean** | | | **%.3g** | **%.3g** | **%.3g** | | **%.2f** | **%.2f** | **%.2f** | | **%.2f** |%n",
            geomean(gDp),
            geomean(gMp),
            geomean(gHy),
            geomean(gSp),
            geomean(gCs),
            geomean(gEe),
            geomean(List.of(23.48, 1.00, 3.05, 1.23, 3.27, 4.97, 4.06, 3.92, 3.21, 2.73))));
    md.append(
        String.format(
            Locale.ROOT,
            "| **paper** | | | **1.83** | **8.88** | **0.318** | | **3.39** | | **1.51** | | |%n"));
    md.append(
        String.format(
            Locale.ROOT,
            "%nHyPar over \"conv dp / fc mp\", modelled time, geomean: %.2fx (paper: 1.62x).%n",
            geomean(gVsTrick)));
    md.append(bits);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("table.md"), md.toString(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("table.csv"), csv.toString(), StandardCharsets.UTF_8);
    return md.toString();
  }
}
