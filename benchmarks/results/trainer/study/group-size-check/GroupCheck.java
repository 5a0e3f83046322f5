import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.algo.HopOptions;
import dev.weft.trainer.algo.RipplesOptions;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.sim.ComputeProfile;
import dev.weft.trainer.sim.NetworkModel;
import dev.weft.trainer.sim.SimulatedRun;
import dev.weft.trainer.sim.SimulationOptions;
import dev.weft.trainer.study.Study;
import dev.weft.trainer.study.StudyVariant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One-off check: the study's sim backend (same constants as TrainStudyCommand) with Ripples at
 * other group sizes / partner policies. Args: OUT WORKERS ITERS SETTING name:mode:group:partners... */
public class GroupCheck {
  public static void main(String[] a) throws Exception {
    Path out = Path.of(a[0]);
    int n = Integer.parseInt(a[1]);
    long iters = Long.parseLong(a[2]);
    double setting = Double.parseDouble(a[3]);
    List<StudyVariant> vs = new ArrayList<>();
    for (int i = 4; i < a.length; i++) {
      String[] f = a[i].split(":");
      vs.add(new StudyVariant(f[0], AlgorithmKind.RIPPLES, 0, HopOptions.DEFAULTS,
          new RipplesOptions(RipplesOptions.Mode.parse(f[1]), Integer.parseInt(f[2]),
              RipplesOptions.Partners.valueOf(f[3].toUpperCase()), 1)));
    }
    SimulationOptions sim = new SimulationOptions(
        new NetworkModel(50_000, 1.25e9, 64, Map.of()),
        ComputeProfile.fixed(Duration.ofNanos(30_000_000L), Duration.ZERO), 0, 1);
    Study study = new Study(new Study.Options(out, dev.weft.data.mnist.FashionMnist.DEFAULT_DIR,
        ModelKind.parse("mlp"), 32, 0.05f, 1, List.of(setting), vs, 0.7, 120, "768m"), System.err);
    study.run(new Study.Backend() {
      public String scale() { return "sim-" + n; }
      public int workers() { return n; }
      public long iterationsPerWorker() { return iters; }
      public Launcher.Result run(LaunchConfig c) throws Exception {
        return new SimulatedRun(c, sim, RecoveryOptions.NONE, System.err).run();
      }
    });
  }
}
