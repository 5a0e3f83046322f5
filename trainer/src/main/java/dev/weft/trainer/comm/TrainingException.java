package dev.weft.trainer.comm;

/** Base of the trainer's typed errors; the message is meant for the person running the job. */
public class TrainingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
