package dev.weft.trainer.hypar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fully connected network's communication under a plan, HyPar's per-level model beside the exact
 * accounting ({@link ExactComm}), per term of the model (intra-layer l; inter-layer between l and
 * l+1) and per H-tree level. Both in elements sent by all workers per step, both directions: the
 * model's level Hh term counts {@code 2^(h-1)} pairs of groups exchanging symmetrically, {@code 2^h
 * x com_h}.
 *
 * @param names one per term: a layer's name, or "a→b" between two layers
 * @param paper the model's elements per term
 * @param exact the exact elements per term (intra l: z_l and w_l; inter: f_l and e_{l+1})
 * @param paperLevels the model's elements per level
 * @param exactLevels the exact elements crossing each level's links
 */
public record CommTerms(
    List<String> names,
    List<Double> paper,
    List<Long> exact,
    List<Double> paperLevels,
    List<Long> exactLevels) {

  public CommTerms {
    names = List.copyOf(names);
    paper = List.copyOf(paper);
    exact = List.copyOf(exact);
    paperLevels = List.copyOf(paperLevels);
    exactLevels = List.copyOf(exactLevels);
  }

  public static CommTerms of(Network net, Plan plan) {
    MlpLayout layout = MlpLayout.of(net, plan);
    ExactComm ex = ExactComm.of(layout);
    int n = net.size();
    List<String> names = new ArrayList<>();
    double[] paper = new double[2 * n - 1];
    long[] exact = new long[2 * n - 1];
    for (int l = 0; l < n; l++) {
      names.add(net.layers().get(l).name());
      if (l + 1 < n) {
        names.add(net.layers().get(l).name() + "→" + net.layers().get(l + 1).name());
      }
    }
    for (ExactComm.Phase p : ex.phases()) {
      exact[2 * p.layer() + (p.intra() ? 0 : 1)] += p.elements();
    }
    List<Part> parts = HyPar.parts(net);
    List<Double> paperLevels = new ArrayList<>();
    for (int h = 1; h <= plan.depth(); h++) {
      List<Choice> cs = plan.levels().get(h - 1);
      double scale = Math.scalb(1.0, h);
      double level = 0;
      List<Part> next = new ArrayList<>();
      for (int l = 0; l < n; l++) {
        double intra = scale * CommModel.intra(parts.get(l), cs.get(l));
        paper[2 * l] += intra;
        level += intra;
        if (l > 0) {
          double inter = scale * CommModel.inter(cs.get(l - 1), cs.get(l), parts.get(l));
          paper[2 * l - 1] += inter;
          level += inter;
        }
        next.add(parts.get(l).split(cs.get(l)));
      }
      paperLevels.add(level);
      parts = next;
    }
    List<Long> exactLevels = new ArrayList<>();
    for (long e : ex.levelElements()) {
      exactLevels.add(e);
    }
    return new CommTerms(
        names,
        java.util.Arrays.stream(paper).boxed().toList(),
        java.util.Arrays.stream(exact).boxed().toList(),
        paperLevels,
        exactLevels);
  }

  public double paperTotal() {
    return paper.stream().mapToDouble(Double::doubleValue).sum();
  }

  public long exactTotal() {
    return exact.stream().mapToLong(Long::longValue).sum();
  }

  /** A text table: one row per term and per level, elements and bytes, with the difference. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-16s %14s %14s %14s%n",
            "elements/step",
            "paper model",
            "exact",
            "exact - paper"));
    for (int i = 0; i < names.size(); i++) {
      row(sb, (i % 2 == 0 ? "intra " : "inter ") + names.get(i), paper.get(i), exact.get(i));
    }
    for (int h = 0; h < paperLevels.size(); h++) {
      row(sb, "level H" + (h + 1), paperLevels.get(h), exactLevels.get(h));
    }
    row(sb, "total", paperTotal(), exactTotal());
    sb.append("(all workers, both directions; 4 bytes each; a level is the highest H-tree link")
        .append(" a transfer crosses)")
        .append(System.lineSeparator());
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, double paper, long exact) {
    sb.append(
        String.format(
            Locale.ROOT, "%-16s %14.0f %14d %+14.0f%n", name, paper, exact, exact - paper));
  }
}
