package dev.weft.trainer.sim;

import java.util.Map;

/**
 * The simulated network: every message pays a one-way latency (plus any extra delay of its link),
 * and is serialized at {@code bandwidth} through the sender's egress and the receiver's ingress,
 * one message at a time each, so a parameter server receiving from many workers is a bottleneck as
 * it is on a real network.
 *
 * <p>With a shared host ({@code hostBytesPerSecond > 0}) every message also passes, one at a time,
 * through one resource that all processes share: the model of N worker JVMs on one machine, where
 * loopback "bandwidth" is the CPU time that all of them spend copying and framing bytes. There a
 * parameter server is no bottleneck of its own (its 4 MB of ingress costs what four workers' 1 MB
 * each would), but every byte any process moves slows every other transfer.
 *
 * @param latencyNanos one-way latency of every link
 * @param bytesPerSecond bandwidth of every process's egress and ingress
 * @param perMessageBytes framing overhead added to every message's payload
 * @param linkDelayNanos extra one-way delay of a link, keyed by {@link #linkKey} (both directions)
 * @param hostBytesPerSecond throughput of the host all processes share; 0 for none
 * @param hostCpus processors message handling shares with computing workers on the shared host; 0
 *     for no such sharing
 */
public record NetworkModel(
    long latencyNanos,
    double bytesPerSecond,
    int perMessageBytes,
    Map<Long, Long> linkDelayNanos,
    double hostBytesPerSecond,
    double hostCpus) {

  public NetworkModel {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("latency must be >= 0");
    }
    if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) {
      throw new IllegalArgumentException("bandwidth must be positive, got " + bytesPerSecond);
    }
    if (perMessageBytes < 0) {
      throw new IllegalArgumentException("per-message overhead must be >= 0");
    }
    linkDelayNanos = Map.copyOf(linkDelayNanos);
    for (var e : linkDelayNanos.entrySet()) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("link delays must be >= 0");
      }
    }
    if (!(hostBytesPerSecond >= 0) || Double.isInfinite(hostBytesPerSecond)) {
      throw new IllegalArgumentException(
          "shared host bandwidth must be >= 0 (0: none), got " + hostBytesPerSecond);
    }
    if (!(hostCpus >= 0) || Double.isInfinite(hostCpus)) {
      throw new IllegalArgumentException(
          "host processors must be >= 0 (0: message handling shares none), got " + hostCpus);
    }
    if (hostCpus > 0 && hostBytesPerSecond == 0) {
      throw new IllegalArgumentException(
          "host processors (" + hostCpus + ") need a shared host (host bandwidth > 0)");
    }
  }

  /** All processes on one host moving {@code hostBytesPerSecond}; no processor sharing. */
  public NetworkModel(
      long latencyNanos,
      double bytesPerSecond,
      int perMessageBytes,
      Map<Long, Long> linkDelayNanos,
      double hostBytesPerSecond) {
    this(latencyNanos, bytesPerSecond, perMessageBytes, linkDelayNanos, hostBytesPerSecond, 0);
  }

  /** A network of separate machines: no shared host. */
  public NetworkModel(
      long latencyNanos,
      double bytesPerSecond,
      int perMessageBytes,
      Map<Long, Long> linkDelayNanos) {
    this(latencyNanos, bytesPerSecond, perMessageBytes, linkDelayNanos, 0, 0);
  }

  public boolean sharedHost() {
    return hostBytesPerSecond > 0;
  }

  /** The key of the link between ranks {@code a} and {@code b} (either order). */
  public static long linkKey(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }

  /** One-way delay from {@code from} to {@code to}: latency plus the link's extra delay. */
  public long delayNanos(int from, int to) {
    return latencyNanos + linkDelayNanos.getOrDefault(linkKey(from, to), 0L);
  }

  /** Time to push {@code payloadBytes} (plus framing) through one NIC. */
  public long transmitNanos(long payloadBytes) {
    return (long) ((payloadBytes + perMessageBytes) * 1e9 / bytesPerSecond);
  }

  /** Time {@code payloadBytes} (plus framing) occupy the shared host; 0 without one. */
  public long hostTransmitNanos(long payloadBytes) {
    return sharedHost() ? (long) ((payloadBytes + perMessageBytes) * 1e9 / hostBytesPerSecond) : 0;
  }

  /**
   * How many times longer a message's latency and host time are when it is sent while {@code
   * computing} workers compute on the shared host: the message's handling is one more runnable
   * thread among {@code computing + 1} on {@code hostCpus} processors. 1 without processor sharing.
   */
  public double cpuStretch(int computing) {
    return hostCpus > 0 ? Math.max(1, (computing + 1) / hostCpus) : 1;
  }
}
