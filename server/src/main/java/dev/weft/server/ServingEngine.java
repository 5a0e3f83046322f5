package dev.weft.server;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.forward.PagedKvPool;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.runner.ModelRunner;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.KvShape;
import dev.weft.scheduler.Runner;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.SwapCostModel;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A loaded model on DJL with its paged KV pool and the runner the serving loop drives. Owns the
 * native memory; {@link #close()} frees it.
 */
final class ServingEngine implements AutoCloseable {

  final LoadedModel model;
  final ServingConfig config;
  final Runner runner;
  private final ModelRunner modelRunner;
  private final NDManager manager;
  private final LlamaModel llama;
  private final PagedKvPool pool;

  private ServingEngine(
      LoadedModel model,
      ServingConfig config,
      Runner runner,
      ModelRunner modelRunner,
      NDManager manager,
      LlamaModel llama,
      PagedKvPool pool) {
    this.model = model;
    this.config = config;
    this.runner = runner;
    this.modelRunner = modelRunner;
    this.manager = manager;
    this.llama = llama;
    this.pool = pool;
  }

  /** The serving loop's settings for {@code model} under {@code options}. */
  static ServingConfig servingConfig(LlamaConfig model, ServingOptions options) {
    // float32 KV: 4 bytes per element.
    KvShape shape = new KvShape(model.nLayers(), model.nKvHeads(), model.headSize(), 4);
    int blocks = CacheConfig.blocksFor(options.kvCacheMemoryBytes(), shape, options.blockSize());
    if (blocks < 1) {
      throw new IllegalArgumentException(
          "KV cache memory of "
              + options.kvCacheMemoryBytes()
              + " bytes holds no block of "
              + options.blockSize()
              + " tokens ("
              + shape.bytesPerBlock(options.blockSize())
              + " bytes each): raise --kv-cache-memory");
    }
    int hostBlocks =
        (int)
            Math.min(
                Integer.MAX_VALUE,
                options.swapSpaceBytes() / shape.bytesPerBlock(1) / options.blockSize());
    SchedulerConfig scheduler =
        SchedulerConfig.of(
                options.maxNumSeqs(),
                options.maxBatchedTokens(),
                model.maxSeqLen(),
                options.maxWaiting())
            .withMode(options.mode())
            .withPolicy(options.policy())
            .withPreemption(options.preemption());
    CacheConfig cache =
        CacheConfig.of(options.blockSize(), blocks)
            .withPrefixCaching(options.prefixCaching())
            .withHostStore(hostBlocks, SwapCostModel.FREE);
    return new ServingConfig(scheduler, cache);
  }

  /**
   * Puts {@code model} on DJL with a KV pool sized by {@code options}.
   *
   * @param decorateRunner wraps the runner (tests inject faults with it); identity otherwise
   */
  static ServingEngine start(
      LoadedModel model, ServingOptions options, UnaryOperator<Runner> decorateRunner) {
    ServingConfig config = servingConfig(model.config(), options);
    NDManager manager = NDManager.newBaseManager("PyTorch");
    LlamaModel llama = null;
    PagedKvPool pool = null;
    try {
      llama = new LlamaModel(manager, model.weights());
      pool =
          new PagedKvPool(
              manager,
              model.config(),
              config.cache().numBlocks(),
              config.cache().blockSize(),
              config.cache().numHostBlocks());
      // No stop tokens in the runner: each request carries its own (the model's, unless it
      // ignores EOS), so that ignore_eos and min_tokens are per request.
      ModelRunner modelRunner = new ModelRunner(llama, pool, Set.of());
      Runner runner = new IsolatingRunner(decorateRunner.apply(modelRunner));
      return new ServingEngine(model, config, runner, modelRunner, manager, llama, pool);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      if (llama != null) {
        llama.close();
      }
      manager.close();
      throw e;
    }
  }

  /** The last step's sampling time (serving-loop thread only). */
  long lastSampleNanos() {
    return modelRunner.lastSampleNanos();
  }

  @Override
  public void close() {
    pool.close();
    llama.close();
    manager.close();
  }
}
