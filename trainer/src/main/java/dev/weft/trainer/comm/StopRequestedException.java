package dev.weft.trainer.comm;

/** The coordinator asked this process to stop. */
public class StopRequestedException extends TrainingException {

  private static final long serialVersionUID = 1L;

  public StopRequestedException(String message) {
    super(message);
  }

  public StopRequestedException(String message, Throwable cause) {
    super(message, cause);
  }
}
