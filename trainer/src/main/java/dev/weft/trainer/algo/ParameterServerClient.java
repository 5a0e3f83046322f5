package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;

/**
 * A worker of the Parameter Server: pushes each gradient shard to its server, then pulls the
 * shard's new weights. In sync mode the servers answer once every worker's push of the iteration
 * has arrived; in async mode at once, with whatever the server holds.
 */
final class ParameterServerClient implements Algorithm {

  private final AlgorithmConfig config;
  private final PeerNetwork net;
  private final float[] params;

  ParameterServerClient(AlgorithmConfig config, PeerNetwork net, float[] initial) {
    this.config = config;
    this.net = net;
    this.params = initial.clone();
    if (net.rank() == 0) {
      for (int s = 0; s < config.servers(); s++) {
        int from = start(s);
        net.send(server(s), PsProtocol.INIT, 0, params, from, start(s + 1) - from);
      }
    }
  }

  private int server(int s) {
    return config.workers() + s;
  }

  private int start(int s) {
    return PsProtocol.shardStart(params.length, config.servers(), s);
  }

  @Override
  public float[] parameters() {
    return params.clone();
  }

  @Override
  public void step(long iteration, float[] gradient) {
    for (int s = 0; s < config.servers(); s++) {
      int from = start(s);
      net.send(server(s), PsProtocol.PUSH, iteration, gradient, from, start(s + 1) - from);
    }
    pull(PsProtocol.PULL, iteration);
  }

  private void pull(String tag, long seq) {
    for (int s = 0; s < config.servers(); s++) {
      int from = start(s);
      int len = start(s + 1) - from;
      Message m = net.receive(server(s), tag, config.timeout()).expectSeq(seq).expectLength(len);
      System.arraycopy(m.data(), 0, params, from, len);
    }
  }

  @Override
  public float[] finish() {
    for (int s = 0; s < config.servers(); s++) {
      net.send(server(s), PsProtocol.PUSH, PsProtocol.DONE, new float[0]);
    }
    pull(PsProtocol.FINAL, 0);
    return params.clone();
  }
}
