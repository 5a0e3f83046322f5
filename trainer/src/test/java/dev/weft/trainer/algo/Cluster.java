package dev.weft.trainer.algo;

import dev.weft.trainer.comm.PeerNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs one task per rank on its own thread and collects the results (test helper). */
final class Cluster {

  interface RankTask<T> {
    T run(PeerNetwork net) throws Exception;
  }

  static <T> List<T> run(IntFunction<PeerNetwork> nets, int size, RankTask<T> task)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(size);
    try {
      List<Future<T>> fs = new ArrayList<>();
      for (int r = 0; r < size; r++) {
        PeerNetwork net = nets.apply(r);
        fs.add(pool.submit(() -> task.run(net)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : fs) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
