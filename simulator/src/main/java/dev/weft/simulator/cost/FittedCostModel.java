package dev.weft.simulator.cost;

import dev.weft.simulator.CostModel;
import dev.weft.simulator.StepShape;
import dev.weft.simulator.StepTiming;
import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.StepSample;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A cost model fitted to a calibration file. The form is chosen from the data: each candidate
 * {@link Form} is a linear model in a few shape features, fitted by least squares on relative
 * error; the one with the lowest leave-one-point-out error on the training points wins, and its
 * error on held-out sweep points (every {@value #HOLD_OUT_EVERY}th point, never used to fit or
 * choose) is reported. The model the simulator uses is the chosen form refitted on all points.
 */
public final class FittedCostModel implements CostModel {

  static final int HOLD_OUT_EVERY = 4;

  private final Form form;
  private final double[] busy;
  private final double[] trailing;
  private final double floorNanos;
  private final FitReport report;

  private FittedCostModel(Form form, double[] busy, double[] trailing, double floor, FitReport r) {
    this.form = form;
    this.busy = busy;
    this.trailing = trailing;
    this.floorNanos = floor;
    this.report = r;
  }

  /** Chooses, evaluates and fits the model for {@code calibration}. */
  public static FittedCostModel fit(Calibration calibration) {
    List<StepSample> steps = calibration.steps();
    List<String> points =
        new ArrayList<>(new LinkedHashSet<>(steps.stream().map(StepSample::point).toList()));
    Set<String> heldOut = new LinkedHashSet<>();
    for (int i = HOLD_OUT_EVERY - 1; i < points.size(); i += HOLD_OUT_EVERY) {
      heldOut.add(points.get(i));
    }
    List<StepSample> train = steps.stream().filter(s -> !heldOut.contains(s.point())).toList();
    List<StepSample> test = steps.stream().filter(s -> heldOut.contains(s.point())).toList();
    List<String> trainPoints = points.stream().filter(p -> !heldOut.contains(p)).toList();

    Form best = null;
    double bestCv = Double.POSITIVE_INFINITY;
    List<String> candidates = new ArrayList<>();
    for (Form f : Form.values()) {
      double cv = crossValidate(f, train, trainPoints);
      candidates.add(String.format(Locale.ROOT, "%s: %.2f%%", f.label, 100 * cv));
      if (cv < bestCv) {
        bestCv = cv;
        best = f;
      }
    }
    double[] trainFit = fitBusy(best, train);
    double heldOutError = test.isEmpty() ? Double.NaN : meanRelativeError(best, trainFit, test);
    double heldOutTotal = test.isEmpty() ? Double.NaN : totalRelativeError(best, trainFit, test);
    FitReport report =
        new FitReport(
            best.label,
            candidates,
            100 * bestCv,
            heldOut.size(),
            test.size(),
            100 * heldOutError,
            100 * heldOutTotal);
    double floor = steps.stream().mapToLong(StepSample::busyNanos).min().orElse(0) / 2.0;
    return new FittedCostModel(best, fitBusy(best, steps), fitTrailing(steps), floor, report);
  }

  @Override
  public StepTiming predict(long step, StepShape shape) {
    double b = Math.max(floorNanos, dot(busy, form.features(shape)));
    double t = Math.max(0, trailing[0] + trailing[1] * shape.sequences());
    return new StepTiming(Math.round(b), Math.round(t));
  }

  @Override
  public String describe() {
    return "fitted to a measured profile: "
        + form.label
        + " (held-out error "
        + String.format(Locale.ROOT, "%.1f%%", report.heldOutMeanErrorPercent())
        + ")";
  }

  public FitReport report() {
    return report;
  }

  private static double crossValidate(Form f, List<StepSample> train, List<String> points) {
    double sum = 0;
    int n = 0;
    for (String p : points) {
      List<StepSample> in = train.stream().filter(s -> !s.point().equals(p)).toList();
      List<StepSample> out = train.stream().filter(s -> s.point().equals(p)).toList();
      if (in.isEmpty() || out.isEmpty()) {
        continue;
      }
      sum += meanRelativeError(f, fitBusy(f, in), out) * out.size();
      n += out.size();
    }
    return n == 0 ? Double.POSITIVE_INFINITY : sum / n;
  }

  /**
   * Least squares on relative error, then once more without the steps whose relative residual is
   * over {@value #OUTLIER_FACTOR} times the median one: a step stretched by something outside its
   * shape (a collection, the OS running another process) should not bend the model for all others.
   */
  private static double[] fitBusy(Form f, List<StepSample> steps) {
    double[] first = fitBusyOnce(f, steps);
    if (steps.size() < 8) {
      return first;
    }
    double[] residual = new double[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      StepSample s = steps.get(i);
      residual[i] =
          Math.abs(dot(first, f.features(s.shape())) - s.busyNanos()) / Math.max(1, s.busyNanos());
    }
    double[] sorted = residual.clone();
    java.util.Arrays.sort(sorted);
    double limit = OUTLIER_FACTOR * Math.max(sorted[sorted.length / 2], 0.01);
    List<StepSample> kept = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (residual[i] <= limit) {
        kept.add(steps.get(i));
      }
    }
    return kept.size() >= Math.max(f.features(steps.get(0).shape()).length, steps.size() / 2)
        ? fitBusyOnce(f, kept)
        : first;
  }

  static final double OUTLIER_FACTOR = 4;

  private static double[] fitBusyOnce(Form f, List<StepSample> steps) {
    double[][] x = new double[steps.size()][];
    double[] y = new double[steps.size()];
    double[] w = new double[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      x[i] = f.features(steps.get(i).shape());
      y[i] = steps.get(i).busyNanos();
      w[i] = 1 / Math.max(1.0, y[i] * y[i]); // relative error
    }
    return LeastSquares.fit(x, y, w);
  }

  private static double[] fitTrailing(List<StepSample> steps) {
    double[][] x = new double[steps.size()][];
    double[] y = new double[steps.size()];
    double[] w = new double[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      x[i] = new double[] {1, steps.get(i).shape().sequences()};
      y[i] = steps.get(i).trailingNanos();
      w[i] = 1;
    }
    return LeastSquares.fit(x, y, w);
  }

  private static double meanRelativeError(Form f, double[] c, List<StepSample> steps) {
    double sum = 0;
    for (StepSample s : steps) {
      double predicted = dot(c, f.features(s.shape()));
      sum += Math.abs(predicted - s.busyNanos()) / Math.max(1, s.busyNanos());
    }
    return sum / steps.size();
  }

  /** Relative error of the summed time (what throughput over many steps sees). */
  private static double totalRelativeError(Form f, double[] c, List<StepSample> steps) {
    double predicted = 0;
    double measured = 0;
    for (StepSample s : steps) {
      predicted += dot(c, f.features(s.shape()));
      measured += s.busyNanos();
    }
    return Math.abs(predicted - measured) / measured;
  }

  private static double dot(double[] c, double[] x) {
    double s = 0;
    for (int i = 0; i < c.length; i++) {
      s += c[i] * x[i];
    }
    return s;
  }

  /** The candidate forms, simplest first. */
  enum Form {
    TOKENS("a + b*tokens") {
      @Override
      double[] features(StepShape s) {
        return new double[] {1, s.tokens()};
      }
    },
    TOKENS_SAMPLES("a + b*tokens + c*samples") {
      @Override
      double[] features(StepShape s) {
        return new double[] {1, s.tokens(), s.samples()};
      }
    },
    TOKENS_SAMPLES_ATTENTION("a + b*tokens + c*samples + d*prefill_attention + e*decode_context") {
      @Override
      double[] features(StepShape s) {
        return new double[] {
          1, s.tokens(), s.samples(), s.prefillAttentionWork(), s.decodeContextTokens()
        };
      }
    },
    GROUPS(
        "a + b*prefill_tokens + c*decode_seqs + d*attention_groups + e*prefill_attention"
            + " + f*decode_context") {
      @Override
      double[] features(StepShape s) {
        return new double[] {
          1,
          s.prefillTokens(),
          s.decodeSequences(),
          s.attentionGroups(),
          s.prefillAttentionWork(),
          s.decodeContextTokens()
        };
      }
    },
    GROUPS_SEQUENCES(
        "a + b*prefill_tokens + c*decode_seqs + d*attention_groups + e*prefill_attention"
            + " + f*decode_context + g*prefill_seqs + h*samples") {
      @Override
      double[] features(StepShape s) {
        return new double[] {
          1,
          s.prefillTokens(),
          s.decodeSequences(),
          s.attentionGroups(),
          s.prefillAttentionWork(),
          s.decodeContextTokens(),
          s.prefillSequences(),
          s.samples()
        };
      }
    },
    FULL(
        "a + b*prefill_tokens + c*decode_seqs + d*samples + e*prefill_attention"
            + " + f*decode_context + g*sequences") {
      @Override
      double[] features(StepShape s) {
        return new double[] {
          1,
          s.prefillTokens(),
          s.decodeSequences(),
          s.samples(),
          s.prefillAttentionWork(),
          s.decodeContextTokens(),
          s.sequences()
        };
      }
    };

    final String label;

    Form(String label) {
      this.label = label;
    }

    abstract double[] features(StepShape s);
  }
}
