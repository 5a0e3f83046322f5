package dev.weft.engine.model;

/** No model of the requested name or path exists on the search path. */
public class ModelNotFoundException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ModelNotFoundException(String message) {
    super(message);
  }
}
