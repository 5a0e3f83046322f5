package dev.weft.scheduler;

/** What happens to a running request's KV blocks when the pool runs out. */
public enum PreemptionMode {
  /**
   * Free them; the request goes back to the waiting queue and recomputes its tokens when it is
   * resumed, starting from whatever of its prefix is still cached.
   */
  RECOMPUTE,
  /**
   * Copy them to the second, slower block store (host memory) and copy them back when resumed.
   * Falls back to {@link #RECOMPUTE} for a request whose blocks the host store cannot hold.
   */
  SWAP
}
