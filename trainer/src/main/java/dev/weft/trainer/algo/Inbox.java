package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.PeerTimeoutException;
import java.time.Duration;

/** Non-blocking reads on a {@link PeerNetwork}: a receive with a zero timeout. */
final class Inbox {

  private Inbox() {}

  /** The next already-delivered message with {@code tag} from {@code from}, or null. */
  static Message poll(PeerNetwork net, int from, String tag) {
    try {
      return net.receive(from, tag, Duration.ZERO);
    } catch (PeerTimeoutException e) {
      return null;
    }
  }
}
