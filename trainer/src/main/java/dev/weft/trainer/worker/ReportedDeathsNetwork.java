package dev.weft.trainer.worker;

import dev.weft.trainer.comm.ForwardingPeerNetwork;
import dev.weft.trainer.comm.PeerNetwork;
import java.util.Set;

/**
 * A worker's network plus the deaths the coordinator reported on heartbeats, so that fault-tolerant
 * algorithms see which peers are gone ({@link PeerNetwork#deadPeers}).
 */
final class ReportedDeathsNetwork extends ForwardingPeerNetwork {

  private final Set<Integer> dead;

  ReportedDeathsNetwork(PeerNetwork inner, Set<Integer> dead) {
    super(inner);
    this.dead = dead;
  }

  @Override
  public Set<Integer> deadPeers() {
    return Set.copyOf(dead);
  }
}
