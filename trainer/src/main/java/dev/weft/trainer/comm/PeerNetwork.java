package dev.weft.trainer.comm;

import java.time.Duration;

/**
 * The peer-messaging interface every training algorithm is written against. Ranks {@code 0 ..
 * size()-1} address the processes of one run (workers first, then parameter servers). Messages from
 * one sender with one tag arrive in the order they were sent. Every receive has a timeout: nothing
 * in the trainer waits forever.
 *
 * <p>Implementations: {@code GrpcPeerNetwork} (worker JVMs over gRPC) and {@link LocalNetwork}
 * (threads of one process; the base of the simulated transport).
 */
public interface PeerNetwork extends AutoCloseable {

  /** This process's rank. */
  int rank();

  /** Number of processes in the run. */
  int size();

  /**
   * Sends {@code data[offset, offset+length)} to {@code to}. Returns once the data has been handed
   * to the transport (it may still be in flight); the caller may reuse {@code data} afterwards.
   * Blocks while the transport applies back-pressure, for at most the network's send timeout.
   */
  void send(int to, String tag, long seq, float[] data, int offset, int length);

  default void send(int to, String tag, long seq, float[] data) {
    send(to, tag, seq, data, 0, data.length);
  }

  /** The next message with {@code tag} from {@code from}; {@link PeerTimeoutException} if none. */
  Message receive(int from, String tag, Duration timeout);

  /** The next message with {@code tag} from any peer (servers, passive workers). */
  Message receiveAny(String tag, Duration timeout);

  /**
   * Receives from {@code from} announced in advance, each bound for a region of {@code dest}. The
   * default receives each message as usual and then adds or copies it; a transport may instead
   * write announced messages straight into {@code dest} as they arrive.
   */
  default InPlaceReceives inPlace(int from, float[] dest) {
    return new ReceiveThenPlace(this, from, dest);
  }

  /**
   * Hands back a received message's array once the caller is done with it, so that the transport
   * may parse a later message into it instead of allocating. Only for messages this network
   * delivered, at most once each, and only when nothing refers to the array any more: after this
   * call its contents change under any holder. Optional: a message never recycled is garbage
   * collected as usual, and transports without reuse ignore the call.
   */
  default void recycle(Message m) {}

  /** Payload bytes this process has sent so far. */
  long bytesSent();

  /**
   * Ranks known to have died (the launcher saw their process exit; the simulator killed them).
   * Fault-tolerant algorithms leave them out; others fail on their first receive from them.
   */
  default java.util.Set<Integer> deadPeers() {
    return java.util.Set.of();
  }

  /** The clock that goes with this network (virtual under simulation). */
  Clock clock();

  @Override
  void close();
}
