package dev.weft.trainer.comm;

/**
 * One logical message between peers: a flat float32 tensor with a tag saying what it is for and a
 * sequence number within the tag (receivers check it to catch protocol bugs early).
 */
public record Message(int from, String tag, long seq, float[] data) {

  public Message {
    if (from < 0) {
      throw new IllegalArgumentException("sender rank " + from);
    }
    if (tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("empty tag");
    }
  }

  /** Throws {@link ProtocolException} unless this is the expected sequence number. */
  public Message expectSeq(long expected) {
    if (seq != expected) {
      throw new ProtocolException(
          "message '" + tag + "' from rank " + from + " has seq " + seq + ", expected " + expected);
    }
    return this;
  }

  /** Throws {@link ProtocolException} unless the payload has {@code n} values. */
  public Message expectLength(int n) {
    if (data.length != n) {
      throw new ProtocolException(
          "message '"
              + tag
              + "' from rank "
              + from
              + " carries "
              + data.length
              + " values, expected "
              + n
              + " (do the peers run the same model?)");
    }
    return this;
  }
}
