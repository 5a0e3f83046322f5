package dev.weft.trainer.comm;

/** A peer could not be reached (connect or send failed). */
public class PeerUnreachableException extends TrainingException {

  private static final long serialVersionUID = 1L;

  public PeerUnreachableException(String message) {
    super(message);
  }

  public PeerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
