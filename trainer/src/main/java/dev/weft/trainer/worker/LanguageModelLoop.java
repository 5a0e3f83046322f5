package dev.weft.trainer.worker;

import dev.weft.trainer.algo.Algorithm;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.lm.HeldOutCsv;
import dev.weft.trainer.lm.LmCheckpoint;
import dev.weft.trainer.lm.LmData;
import dev.weft.trainer.lm.LmOptions;
import dev.weft.trainer.lm.TokenWindows;
import dev.weft.trainer.metrics.IterationRecord;
import dev.weft.trainer.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's language-model training: its shard of the packed corpus windows, next-token loss and
 * gradient on the engine's Llama, the algorithm's step; worker 0 also evaluates the held-out loss
 * (before training, every {@link LmOptions#evalEvery()} iterations and on the final model) and
 * saves the final model where {@code weft serve} loads it. Faults and recovery work as in {@link
 * TrainLoop}: {@code --kill}, periodic {@link Checkpoints}, and a resumed run's start iteration.
 */
final class LanguageModelLoop {

  private static final Logger log = LoggerFactory.getLogger(LanguageModelLoop.class);

  private static final String LR_HINT = "try a lower --lr or --grad-clip";

  /** Held-out windows per evaluation forward. */
  private static final int EVAL_BATCH = 16;

  private final WorkerConfig config;
  private final LmOptions options;
  private final Clock clock;
  private final LanguageModel model;
  private final LmData data;
  private final long perEpoch;
  private final long total;

  LanguageModelLoop(WorkerConfig config, Clock clock, LanguageModel model, LmData data) {
    this.config = config;
    this.options = config.lm();
    this.clock = clock;
    this.model = model;
    this.data = data;
    // Every worker runs the same number of iterations (the smallest shard's), as synchronous
    // algorithms need.
    this.perEpoch = data.iterationsPerEpoch(config.workers(), config.batch());
    long all = perEpoch * config.epochs();
    this.total = config.maxIterations() > 0 ? Math.min(all, config.maxIterations()) : all;
  }

  /**
   * Trains iterations {@code start ..} (0, or where a resumed checkpoint left off), returning the
   * iteration count reached; {@code beforeIteration} may throw to stop.
   */
  long train(
      long start,
      Algorithm algo,
      PeerNetwork net,
      long startMs,
      Consumer<IterationRecord> sink,
      LongConsumer beforeIteration,
      Consumer<Duration> sleep) {
    TokenWindows shard = data.train().shard(config.rank(), config.workers());
    int b = config.batch();
    int t = options.seqLen();
    int[] inputs = new int[b * t];
    int[] targets = new int[b * t];
    float[] grad = new float[model.size()];
    SlowdownPolicy slow = config.slowdownPolicy();
    Recovery recovery = config.recovery();
    if (config.rank() == 0) {
      // Rows from here on are this run's: a resumed run in its predecessor's folder replaces
      // what that run evaluated after the checkpoint, a fresh run any earlier run's rows.
      HeldOutCsv.keepBefore(heldOutFile(), start);
    }
    evaluate(start, algo.parameters(), startMs);
    long iteration = start;
    // A resumed run picks up inside the epoch it stopped in, at the same place of the same
    // (epoch-seeded) order, so it sees the batches the uninterrupted run would have.
    for (int epoch = (int) (start / perEpoch); iteration < total; epoch++) {
      int[] order =
          TrainLoop.permutation(
              shard.count(), new Random(config.seed() * 31 + epoch * 997L + config.rank()));
      for (int i = (int) (iteration % perEpoch); i < perEpoch && iteration < total; i++) {
        if (iteration == recovery.killAtIteration()) {
          throw new WorkerKilledException(config.rank(), iteration);
        }
        beforeIteration.accept(iteration);
        for (int k = 0; k < b; k++) {
          shard.copy(order[i * b + k], k, inputs, targets);
        }
        long t0 = clock.nanoTime();
        float loss = model.lossAndGradient(algo.parameters(), inputs, targets, b, grad);
        DivergedException.check(config.rank(), iteration, "loss", loss, LR_HINT);
        DivergedException.check(
            config.rank(), iteration, "gradient norm", clip(grad, options.gradClip()), LR_HINT);
        long t1 = clock.nanoTime();
        sleep.accept(slow.extra(Duration.ofNanos(t1 - t0)));
        long t2 = clock.nanoTime();
        algo.step(iteration, grad);
        long t3 = clock.nanoTime();
        iteration++;
        if (recovery.checkpointEvery() > 0 && iteration % recovery.checkpointEvery() == 0) {
          Checkpoints.write(Path.of(config.outDir()), config.rank(), iteration, algo.parameters());
        }
        sink.accept(
            new IterationRecord(
                config.rank(),
                iteration - 1,
                epoch,
                (System.currentTimeMillis() - startMs) / 1000.0,
                loss,
                (t2 - t0) / 1e9,
                (t3 - t2) / 1e9,
                net.bytesSent()));
        if (options.evalEvery() > 0 && iteration % options.evalEvery() == 0 && iteration < total) {
          evaluate(iteration, algo.parameters(), startMs);
        }
      }
    }
    return iteration;
  }

  /**
   * Worker 0 only: the final model's held-out loss, and the model saved into the output folder.
   * Returns the loss (-1 on other workers).
   */
  double finish(float[] finalParameters, long iterations, long startMs) throws IOException {
    if (config.rank() != 0) {
      return -1;
    }
    double loss = evaluate(iterations, finalParameters, startMs);
    Path saved =
        LmCheckpoint.save(
            model.weights(finalParameters), Path.of(options.tokenizer()), Path.of(config.outDir()));
    log.info("final held-out loss {}; model saved to {}", loss, saved);
    return loss;
  }

  private double evaluate(long iteration, float[] parameters, long startMs) {
    if (config.rank() != 0) {
      return -1;
    }
    double loss = model.meanLoss(parameters, data.heldOut(), EVAL_BATCH);
    HeldOutCsv.append(
        heldOutFile(),
        new HeldOutCsv.Row(iteration, (System.currentTimeMillis() - startMs) / 1000.0, loss));
    log.info("held-out loss after {} iterations: {}", iteration, loss);
    return loss;
  }

  private Path heldOutFile() {
    return Path.of(config.outDir()).resolve(HeldOutCsv.FILE);
  }

  /**
   * Scales {@code g} down to L2 norm {@code max} when it is longer (0: leaves it). Returns the norm
   * before clipping (0 when not computed).
   */
  static double clip(float[] g, double max) {
    if (max <= 0) {
      return 0;
    }
    double sq = 0;
    for (float v : g) {
      sq += (double) v * v;
    }
    double norm = Math.sqrt(sq);
    if (norm > max) {
      float scale = (float) (max / norm);
      for (int i = 0; i < g.length; i++) {
        g[i] *= scale;
      }
    }
    return norm;
  }
}
