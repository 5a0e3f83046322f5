package dev.weft.trainer.hypar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.LocalNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The partitioned MLP in-process (threads over {@link LocalNetwork}): for every partition of a
 * small MLP over 2 and 4 workers, gradients equal the single-worker reference and the payload sent,
 * in all and across each level's links, equals the exact accounting ({@link ExactComm}); HyPar's
 * per-level model equals it on one level and on some two-level plans.
 */
class HyParMlpTest {

  static final int[] WIDTHS = {8, 16, 12, 4};
  static final int BATCH = 8;

  /** A run's largest gradient error, payload bytes per step, and those per level per step. */
  record Run(double err, long bytes, long[] levelBytes) {}

  /** Runs {@code steps} steps on every worker. */
  static Run run(MlpLayout layout, int steps) throws Exception {
    int n = layout.workers();
    int[] widths = layout.widths();
    int batch = layout.batch();
    LocalNetwork local = new LocalNetwork(n, Clock.system());
    long seed = 5;
    float lr = 0.05f;
    DenseMlp ref = new DenseMlp(widths, seed, lr);
    float[][][] refGrads = new float[steps][][];
    for (int s = 0; s < steps; s++) {
      refGrads[s] =
          ref.step(
              DenseMlp.inputs(widths, batch, seed, s), DenseMlp.labels(widths, batch, seed, s));
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Run>> fs = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        int rank = r;
        fs.add(
            pool.submit(
                () -> {
                  LevelCountingNetwork net = new LevelCountingNetwork(local.peer(rank), layout);
                  HyParMlp w =
                      new HyParMlp(layout, rank, DenseMlp.initialWeights(widths, seed), lr);
                  double err = 0;
                  for (int s = 0; s < steps; s++) {
                    HyParMlp.Gradients g =
                        w.step(
                            net,
                            DenseMlp.inputs(widths, batch, seed, s),
                            DenseMlp.labels(widths, batch, seed, s),
                            s,
                            Duration.ofSeconds(10));
                    err = Math.max(err, LiveCheck.maxError(g, refGrads[s], widths));
                  }
                  return new Run(err, net.bytesSent(), net.levelBytes());
                }));
      }
      double err = 0;
      long bytes = 0;
      long[] levels = new long[layout.depth()];
      for (Future<Run> f : fs) {
        Run v = f.get();
        err = Math.max(err, v.err());
        bytes += v.bytes();
        for (int h = 0; h < levels.length; h++) {
          levels[h] += v.levelBytes()[h];
        }
      }
      for (int h = 0; h < levels.length; h++) {
        levels[h] /= steps;
      }
      return new Run(err, bytes / steps, levels);
    } finally {
      pool.shutdownNow();
    }
  }

  static Network network(int[] widths, int batch) {
    List<Layer> ls = new ArrayList<>();
    for (int l = 0; l + 1 < widths.length; l++) {
      ls.add(Layer.fc("fc" + (l + 1), widths[l], widths[l + 1]));
    }
    return new Network("mlp", batch, ls, "test");
  }

  static List<List<Choice>> plan(String... bits) {
    List<List<Choice>> levels = new ArrayList<>();
    for (String b : bits) {
      levels.add(b.chars().mapToObj(c -> Choice.of(c == '1')).toList());
    }
    return levels;
  }

  /**
   * Plan number {@code m} of {@code depth} levels: bit h*layers+l is layer l's choice at H(h+1).
   */
  static List<List<Choice>> plan(long m, int depth, int layers) {
    List<List<Choice>> levels = new ArrayList<>();
    for (int h = 0; h < depth; h++) {
      List<Choice> cs = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        cs.add(Choice.of(((m >>> (h * layers + l)) & 1) == 1));
      }
      levels.add(cs);
    }
    return levels;
  }

  /** Asserts the run's gradients and bytes, in all and per level, against the exact accounting. */
  static ExactComm checkExact(MlpLayout layout, String what) throws Exception {
    ExactComm exact = ExactComm.of(layout);
    Run r = run(layout, 2);
    assertThat(r.err()).as(what).isLessThanOrEqualTo(1e-5);
    assertThat(r.bytes()).as(what).isEqualTo(exact.bytes());
    assertThat(r.levelBytes())
        .as(what)
        .containsExactly(Arrays.stream(exact.levelElements()).map(e -> 4 * e).toArray());
    return exact;
  }

  @Test
  void everyPartitionOverTwoAndFourWorkersMovesExactlyTheExactAccounting() throws Exception {
    Network net = network(WIDTHS, BATCH);
    int layers = WIDTHS.length - 1;
    int paperExact = 0;
    double lowest = Double.MAX_VALUE;
    double highest = -Double.MAX_VALUE;
    for (int depth = 1; depth <= 2; depth++) {
      for (long m = 0; m < (1L << (layers * depth)); m++) {
        List<List<Choice>> levels = plan(m, depth, layers);
        Plan plan = HyPar.evaluate("any", net, levels);
        String what = "depth " + depth + " plan " + plan.allBits();
        ExactComm exact = checkExact(new MlpLayout(WIDTHS, BATCH, levels), what);
        CommTerms terms = CommTerms.of(net, plan);
        assertThat(terms.exactTotal()).as(what).isEqualTo(exact.elements());
        assertThat(4 * 2 * terms.paperTotal()).as(what).isEqualTo(2 * plan.bytesSentByAll());
        if (depth == 1) {
          // Between two groups the paper's model is exact for every plan.
          assertThat((double) exact.bytes()).as(what).isEqualTo(plan.bytesSentByAll());
        } else {
          double rel = exact.bytes() / plan.bytesSentByAll() - 1;
          lowest = Math.min(lowest, rel);
          highest = Math.max(highest, rel);
          paperExact += rel == 0 ? 1 : 0;
        }
      }
    }
    // Over two levels the per-level model is exact for 33 of the 64 plans of this MLP; the
    // others it misses by -2% .. +11%.
    assertThat(paperExact).isEqualTo(33);
    assertThat(lowest).isBetween(-0.03, -0.01);
    assertThat(highest).isBetween(0.10, 0.12);
  }

  @Test
  void eightWorkersAndUnevenHalvesStillMoveExactlyTheExactAccounting() throws Exception {
    // Widths and batch chosen so that sums split unevenly (9-element gradients over 2 or 3
    // levels): the accounting follows the halving's rounding.
    int[] widths = {8, 12, 3, 5};
    java.util.Random rnd = new java.util.Random(12);
    int checked = 0;
    while (checked < 24) {
      List<List<Choice>> levels = plan(rnd.nextLong() & ((1L << 9) - 1), 3, 3);
      MlpLayout layout;
      try {
        layout = new MlpLayout(widths, 8, levels);
      } catch (IllegalArgumentException e) {
        continue; // 3 inputs cannot be split; 12 only twice
      }
      checkExact(layout, "plan " + levels);
      checked++;
    }
  }

  @Test
  void twoLevelsWhereThePaperModelIsExactOrMissesAReplicatedGather() throws Exception {
    Network net = network(WIDTHS, BATCH);
    // Data parallel at both levels: recursive halving costs exactly the model.
    List<List<Choice>> dp = plan("000", "000");
    assertThat((double) ExactComm.of(new MlpLayout(WIDTHS, BATCH, dp)).bytes())
        .isEqualTo(HyPar.evaluate("dp", net, dp).bytesSentByAll());
    // Model parallel at both levels: each worker holds a quarter of the error columns and needs
    // all of them, 3/4 of the tensor per worker; the model charges 0.5 A at H1 and 0.5 A/2 at H2
    // per group, i.e. 2/4 per worker: 8832 B against the model's 7936 B.
    List<List<Choice>> mp = plan("111", "111");
    assertThat(HyPar.evaluate("mp", net, mp).bytesSentByAll()).isEqualTo(7936);
    assertThat(checkExact(new MlpLayout(WIDTHS, BATCH, mp), "mp").bytes()).isEqualTo(8832);
  }
}
