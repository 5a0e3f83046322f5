package dev.weft.server;

/** The request itself is wrong (a field out of range, no input); retrying it cannot help. */
public final class InvalidRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
