package dev.weft.trainer.launch;

import dev.weft.trainer.comm.TrainingException;

/** The run failed; the message names the failed process and its log. */
public final class LaunchException extends TrainingException {

  private static final long serialVersionUID = 1L;

  public LaunchException(String message) {
    super(message);
  }
}
