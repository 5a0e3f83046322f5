package dev.weft.trainer.comm;

import java.time.Duration;

/**
 * Receives from one peer that are announced before their messages arrive, each bound for a region
 * of one array: added to it (a reduction) or copied over it. A transport that knows where a message
 * goes can put it there straight from its network buffers as it arrives, instead of parsing it into
 * a fresh array that the receiver then adds or copies; ring All-Reduce announces all of its
 * receives this way. Obtained from {@link PeerNetwork#inPlace}.
 *
 * <p>Announce with {@link #expect}, then {@link #await} each announced message. Until a message has
 * been awaited, its region may change at any moment, so the caller neither reads nor writes it. On
 * {@link #close}, announcements not yet awaited are withdrawn, and once close returns the transport
 * no longer touches the array.
 */
public interface InPlaceReceives extends AutoCloseable {

  /**
   * Announces the message with {@code tag} and {@code seq}: {@code length} values for {@code
   * dest[offset, offset+length)}, added to what is there if {@code add}, else copied over it.
   */
  void expect(String tag, long seq, int offset, int length, boolean add);

  /**
   * Waits until the announced message is in its region. Messages of one tag are awaited in the
   * order they are sent. Throws {@link PeerTimeoutException} after {@code timeout}, {@link
   * ProtocolException} for an unexpected sequence number or length.
   */
  void await(String tag, long seq, Duration timeout);

  /** Withdraws what was announced and not awaited; the transport leaves the array alone after. */
  @Override
  void close();
}
