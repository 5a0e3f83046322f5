package dev.weft.trainer.comm;

import java.time.Duration;

/**
 * A view of a network whose messages are kept apart from everyone else's on it: every tag is
 * prefixed with {@code namespace}, so a second copy of an algorithm (a warm-up run) can use the
 * same connections and tags as the real one without either ever receiving the other's messages.
 * Closing the view leaves the shared network open.
 */
public final class NamespacedNetwork extends ForwardingPeerNetwork {

  private final String namespace;

  public NamespacedNetwork(PeerNetwork inner, String namespace) {
    super(inner);
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
    this.namespace = namespace;
  }

  @Override
  public void send(int to, String tag, long seq, float[] data, int offset, int length) {
    inner.send(to, namespace + tag, seq, data, offset, length);
  }

  @Override
  public Message receive(int from, String tag, Duration timeout) {
    return inner.receive(from, namespace + tag, timeout);
  }

  @Override
  public InPlaceReceives inPlace(int from, float[] dest) {
    InPlaceReceives in = inner.inPlace(from, dest);
    return new InPlaceReceives() {
      @Override
      public void expect(String tag, long seq, int offset, int length, boolean add) {
        in.expect(namespace + tag, seq, offset, length, add);
      }

      @Override
      public void await(String tag, long seq, Duration timeout) {
        in.await(namespace + tag, seq, timeout);
      }

      @Override
      public void close() {
        in.close();
      }
    };
  }

  @Override
  public Message receiveAny(String tag, Duration timeout) {
    return inner.receiveAny(namespace + tag, timeout);
  }

  @Override
  public void close() {
    // The connections belong to the process's real run.
  }
}
