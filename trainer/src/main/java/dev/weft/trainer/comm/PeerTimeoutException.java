package dev.weft.trainer.comm;

/** A wait on a peer ran past its timeout. */
public class PeerTimeoutException extends TrainingException {

  private static final long serialVersionUID = 1L;

  public PeerTimeoutException(String message) {
    super(message);
  }

  public PeerTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
