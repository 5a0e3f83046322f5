package dev.weft.trainer.hypar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HyPar's plan for a network, its baselines and their modelled cost, as {@code weft plan} prints
 * it.
 */
public final class PlanReport {

  /** One strategy's plan and estimate. */
  public record Row(Plan plan, ArrayModel.Estimate estimate) {}

  private final Network net;
  private final int accelerators;
  private final List<Row> rows = new ArrayList<>();

  /** Plans {@code net} on {@code accelerators} (a power of two) and evaluates the baselines. */
  public PlanReport(Network net, int accelerators, ArrayModel model) {
    this.net = net;
    this.accelerators = accelerators;
    int depth = HyPar.levels(accelerators);
    List<Plan> plans =
        List.of(
            HyPar.plan(net, depth),
            HyPar.allDp(net, depth),
            HyPar.allMp(net, depth),
            HyPar.convDpFcMp(net, depth),
            Exhaustive.optimal(net, depth));
    for (Plan p : plans) {
      rows.add(new Row(p, model.estimate(net, p)));
    }
  }

  public Row hypar() {
    return rows.get(0);
  }

  public Row dp() {
    return rows.get(1);
  }

  public Row mp() {
    return rows.get(2);
  }

  public Row convDpFcMp() {
    return rows.get(3);
  }

  /** The least communication over all assignments (see {@link Exhaustive#optimal}). */
  public Row optimal() {
    return rows.get(4);
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    Plan h = hypar().plan();
    sb.append(
        String.format(
            Locale.ROOT,
            "network %s: %d weighted layers (%s), batch %d, %d accelerators = %d levels%n",
            net.name(),
            net.size(),
            String.join(" ", net.layers().stream().map(Layer::name).toList()),
            net.batch(),
            accelerators,
            h.depth()));
    for (int lv = 1; lv <= h.depth(); lv++) {
      sb.append("H").append(lv).append(": ").append(h.bits(lv)).append('\n');
    }
    sb.append("(one bit per weighted layer, input first: 0 = data parallel, 1 = model parallel)\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "total communication: %s per step; modelled time %s, energy %s%n",
            bytes(h.totalBytes()),
            seconds(hypar().estimate().seconds()),
            joules(hypar().estimate().joules())));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-15s %14s %12s %12s %14s%n",
            "strategy",
            "communication",
            "time",
            "energy",
            "speed-up vs dp"));
    double dpTime = dp().estimate().seconds();
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-15s %14s %12s %12s %13.2fx%n",
              r.plan().strategy(),
              bytes(r.plan().totalBytes()),
              seconds(r.estimate().seconds()),
              joules(r.estimate().joules()),
              dpTime / r.estimate().seconds()));
    }
    sb.append(
        "communication: the paper's total, com_H1 + 2 com_H2 + 4 com_H3 + ..., of 32-bit values"
            + " (1 GB = 1e9 bytes); optimal = least total over every assignment\n");
    return sb.toString();
  }

  static String bytes(double b) {
    if (b >= 1e9) {
      return String.format(Locale.ROOT, "%.3f GB", b / 1e9);
    }
    if (b >= 1e6) {
      return String.format(Locale.ROOT, "%.3f MB", b / 1e6);
    }
    return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
  }

  static String seconds(double s) {
    return s >= 1
        ? String.format(Locale.ROOT, "%.3f s", s)
        : String.format(Locale.ROOT, "%.3f ms", s * 1e3);
  }

  static String joules(double j) {
    return j >= 1
        ? String.format(Locale.ROOT, "%.3f J", j)
        : String.format(Locale.ROOT, "%.3f mJ", j * 1e3);
  }
}
