package dev.weft.cli.sim;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.forward.PagedKvPool;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.runner.ModelRunner;
import dev.weft.scheduler.KvShape;
import dev.weft.scheduler.Runner;
import dev.weft.scheduler.ServingConfig;
import dev.weft.simulator.calibration.ModelShape;
import java.util.Set;

/**
 * The engine's model runner on a paged KV pool sized by a serving config, for in-process live runs
 * (profile sweeps and the shared-scheduler check). No stop tokens: requests carry their own, and
 * profile or trace requests carry none, so each generates exactly its max tokens.
 */
final class LiveEngine implements AutoCloseable {

  private final NDManager manager;
  private final LlamaModel llama;
  private final PagedKvPool pool;
  private final ModelRunner runner;

  LiveEngine(LoadedModel model, ServingConfig config) {
    manager = NDManager.newBaseManager("PyTorch");
    try {
      llama = new LlamaModel(manager, model.weights());
      pool =
          new PagedKvPool(
              manager,
              model.config(),
              config.cache().numBlocks(),
              config.cache().blockSize(),
              config.cache().numHostBlocks());
      runner = new ModelRunner(llama, pool, Set.of());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  Runner runner() {
    return runner;
  }

  /** The float32 KV shape of {@code c}, as the server sizes its pool. */
  static KvShape kvShape(LlamaConfig c) {
    return new KvShape(c.nLayers(), c.nKvHeads(), c.headSize(), 4);
  }

  /** The simulator's view of {@code c}. */
  static ModelShape shapeOf(String name, LlamaConfig c) {
    return new ModelShape(
        name,
        c.dim(),
        c.nLayers(),
        c.nHeads(),
        c.nKvHeads(),
        c.hiddenDim(),
        c.vocabSize(),
        c.maxSeqLen());
  }

  @Override
  public void close() {
    pool.close();
    llama.close();
    manager.close();
  }
}
