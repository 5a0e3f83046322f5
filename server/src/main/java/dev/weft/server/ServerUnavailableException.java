package dev.weft.server;

/** The server cannot take requests now: it is loading its model or draining for shutdown. */
public final class ServerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServerUnavailableException(String message) {
    super(message);
  }
}
