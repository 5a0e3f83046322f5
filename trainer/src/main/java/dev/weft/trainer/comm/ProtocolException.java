package dev.weft.trainer.comm;

/** A peer sent something the protocol does not allow at this point. */
public class ProtocolException extends TrainingException {

  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
