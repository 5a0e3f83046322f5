package dev.weft.server;

/** Abort named a request id that is not live (never seen, or already ended). */
public final class UnknownRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownRequestException(String message) {
    super(message);
  }
}
