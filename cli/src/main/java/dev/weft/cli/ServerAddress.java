package dev.weft.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/** A {@code HOST:PORT} flag and the plaintext channel to it. */
record ServerAddress(String host, int port) {

  ServerAddress {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }
  }

  static ServerAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "invalid --server '" + value + "': expected HOST:PORT, e.g. localhost:50051");
    }
    try {
      return new ServerAddress(
          value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid --server '" + value + "': the port must be a number");
    }
  }

  ManagedChannel channel() {
    return NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
