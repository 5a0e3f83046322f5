package dev.weft.cli.plan;

import dev.weft.trainer.hypar.ArrayModel;
import dev.weft.trainer.hypar.CommTerms;
import dev.weft.trainer.hypar.HyPar;
import dev.weft.trainer.hypar.HyParTable;
import dev.weft.trainer.hypar.LiveCheck;
import dev.weft.trainer.hypar.Network;
import dev.weft.trainer.hypar.NetworkFile;
import dev.weft.trainer.hypar.PlanReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft plan}: HyPar's layer-wise parallelism for an accelerator array. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Partition a network's layers between data and model parallelism over 2^H accelerators"
          + " (HyPar, HPCA 2019): prints one line per level, 'H<level>: <bits>' (one bit per"
          + " weighted layer, 0 = data parallel, 1 = model parallel), the communication, modelled"
          + " time and energy, and the baselines.",
      "Bundled networks: sfc, sconv, lenet-c, cifar-c, alexnet, vgg-a .. vgg-e, mlp."
    })
public final class PlanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--network", description = "bundled network name or JSON file")
  String network;

  @Option(
      names = "--accelerators",
      defaultValue = "16",
      description = "accelerators, a power of two (default ${DEFAULT-VALUE})")
  int accelerators;

  @Option(names = "--batch", description = "batch size (default: the network file's)")
  Integer batch;

  @Option(
      names = "--tops",
      defaultValue = "5.58",
      description = "compute per accelerator, 10^12 ops/s (default ${DEFAULT-VALUE})")
  double tops;

  @Option(
      names = "--link-gbps",
      defaultValue = "30",
      split = ",",
      description =
          "GB/s per H-tree link and direction, per level H1,H2,...; the last repeats"
              + " (default ${DEFAULT-VALUE})")
  List<Double> linkGbps;

  @Option(
      names = "--pj-per-op",
      defaultValue = "2.3",
      description = "energy per operation, pJ (default ${DEFAULT-VALUE})")
  double pjPerOp;

  @Option(
      names = "--pj-per-byte",
      defaultValue = "80",
      description = "energy per byte sent between accelerators, pJ (default ${DEFAULT-VALUE})")
  double pjPerByte;

  @Option(
      names = "--live",
      description =
          "also train the (fully connected) network under the plan with one worker JVM"
              + " per accelerator over gRPC; compare gradients with single-worker training and"
              + " payload bytes with the exact accounting of the plan and the paper's model")
  boolean live;

  @Option(names = "--steps", defaultValue = "3", description = "live-check steps (default 3)")
  int steps;

  @Option(
      names = "--table",
      description = "write the ten networks' table (table.md, table.csv) to this directory")
  Path table;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Double> links = new ArrayList<>();
    for (double g : linkGbps) {
      links.add(g * 1e9);
    }
    ArrayModel model = new ArrayModel(tops * 1e12, links, pjPerOp * 1e-12, pjPerByte * 1e-12);
    HyPar.levels(accelerators);
    if (table != null) {
      out.print(HyParTable.write(table, accelerators, model, commandLine()));
      out.flush();
      return 0;
    }
    if (network == null) {
      throw new IllegalArgumentException("give --network NAME|FILE (or --table DIR)");
    }
    Network net = NetworkFile.load(network);
    if (batch != null) {
      net = net.withBatch(batch);
    }
    PlanReport report = new PlanReport(net, accelerators, model);
    out.print(report.render());
    out.flush();
    if (live) {
      if (accelerators > 16) {
        throw new IllegalArgumentException(
            "--live starts one JVM per accelerator; " + accelerators + " is too many (at most 16)");
      }
      Path dir = Files.createTempDirectory("weft-hypar-live");
      LiveCheck.Result r =
          LiveCheck.jvms(
              net, report.hypar().plan(), steps, dir, System.getProperty("java.class.path"));
      out.printf(
          Locale.ROOT,
          "live: %s, %d steps: payload %d B/step; exact accounting %d B/step (%+.2f%%);"
              + " paper's per-level model %.0f B/step (%+.2f%%); wire %d B over the steps"
              + " (%.4fx payload); max |gradient - single worker| %.3g%n",
          r.transport(),
          r.steps(),
          r.payloadBytes(),
          r.exactBytes(),
          100 * (r.ratio() - 1),
          r.paperBytes(),
          100 * (r.paperRatio() - 1),
          r.wireBytes(),
          r.wireBytes() / (double) (r.payloadBytes() * r.steps()),
          r.maxGradError());
      out.print(CommTerms.of(net, report.hypar().plan()).render());
      out.flush();
    }
    return 0;
  }

  private String commandLine() {
    return "./weft plan --table " + table + " --accelerators " + accelerators;
  }
}
