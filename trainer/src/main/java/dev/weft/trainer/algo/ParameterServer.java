package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.ProtocolException;

/**
 * One parameter-server shard. Sync mode: sums the gradients of one iteration from every worker,
 * applies their mean once, then sends the new shard to all (workers cannot run ahead, so one
 * accumulator suffices). Async mode: applies each push on arrival and answers that worker alone.
 * Ends after every worker said it is done, sending each the final shard.
 */
final class ParameterServer {

  private final AlgorithmConfig config;
  private final PeerNetwork net;
  private final int shard;

  ParameterServer(AlgorithmConfig config, PeerNetwork net) {
    this.config = config;
    this.net = net;
    this.shard = net.rank() - config.workers();
    if (shard < 0 || shard >= config.servers()) {
      throw new IllegalArgumentException("rank " + net.rank() + " is not a parameter server");
    }
  }

  void run() {
    float[] weights = net.receive(0, PsProtocol.INIT, config.timeout()).data();
    float[] sum = new float[weights.length];
    int pushes = 0;
    long round = 0;
    long started = 0;
    int done = 0;
    int workers = config.workers();
    while (done < workers) {
      Message m = net.receiveAny(PsProtocol.PUSH, config.timeout());
      if (m.seq() == PsProtocol.DONE) {
        done++;
        continue;
      }
      m.expectLength(weights.length);
      if (config.psAsync()) {
        Algorithms.sgd(weights, m.data(), config.learningRate());
        net.send(m.from(), PsProtocol.PULL, m.seq(), weights);
        continue;
      }
      if (round == 0 && pushes == 0 && m.seq() > 0 && started == 0) {
        // A resumed run starts at its checkpoint's iteration, not 0.
        round = m.seq();
      }
      started++;
      if (m.seq() != round || done > 0) {
        throw new ProtocolException(
            "parameter server "
                + shard
                + " got iteration "
                + m.seq()
                + " from worker "
                + m.from()
                + " while collecting iteration "
                + round
                + (done > 0 ? " after " + done + " worker(s) finished" : ""));
      }
      float[] g = m.data();
      for (int i = 0; i < g.length; i++) {
        sum[i] += g[i];
      }
      if (++pushes == workers) {
        float scale = config.learningRate() / workers;
        for (int i = 0; i < weights.length; i++) {
          weights[i] -= scale * sum[i];
          sum[i] = 0;
        }
        for (int w = 0; w < workers; w++) {
          net.send(w, PsProtocol.PULL, round, weights);
        }
        pushes = 0;
        round++;
      }
    }
    if (pushes != 0) {
      throw new ProtocolException(
          "parameter server "
              + shard
              + ": workers finished with iteration "
              + round
              + " half done");
    }
    for (int w = 0; w < workers; w++) {
      net.send(w, PsProtocol.FINAL, 0, weights);
    }
  }
}
