package dev.weft.trainer.comm;

/** Two peers run models with different parameter shapes. */
public class ModelMismatchException extends TrainingException {

  private static final long serialVersionUID = 1L;

  public ModelMismatchException(String message) {
    super(message);
  }

  public ModelMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
