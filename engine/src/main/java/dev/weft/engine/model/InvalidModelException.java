package dev.weft.engine.model;

/** A model file that cannot be used: truncated, inconsistent or of an unknown format. */
public class InvalidModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
