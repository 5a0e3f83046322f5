package dev.weft.trainer.grpc;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a peer listens: {@code host:port} for TCP, or {@code inprocess:NAME} for gRPC's in-process
 * transport (tests). Hosts may be DNS names (a Kubernetes StatefulSet's stable pod names); they are
 * resolved when connecting, with retries, since pods appear in any order.
 */
public record PeerAddress(String host, int port, String inProcessName) {

  public PeerAddress {
    if (inProcessName == null) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("peer address needs a host");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " of " + host + " is out of range");
      }
    }
  }

  public static PeerAddress tcp(String host, int port) {
    return new PeerAddress(host, port, null);
  }

  public static PeerAddress inProcess(String name) {
    return new PeerAddress(null, 0, name);
  }

  public boolean isInProcess() {
    return inProcessName != null;
  }

  /** Parses {@code host:port} or {@code inprocess:NAME}. */
  public static PeerAddress parse(String s) {
    String t = s.trim();
    if (t.startsWith("inprocess:")) {
      return inProcess(t.substring("inprocess:".length()));
    }
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("peer address '" + s + "' is not host:port");
    }
    try {
      return tcp(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer address '" + s + "' has a bad port");
    }
  }

  /** Parses a comma-separated list of addresses. */
  public static List<PeerAddress> parseList(String csv) {
    List<PeerAddress> out = new ArrayList<>();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("empty peer list");
    }
    return out;
  }

  /**
   * Addresses from a DNS name pattern with {@code {rank}} in it, e.g. {@code
   * trainer-{rank}.trainer.default.svc:7070} for the pods of a StatefulSet.
   */
  public static List<PeerAddress> fromPattern(String pattern, int count) {
    if (!pattern.contains("{rank}")) {
      throw new IllegalArgumentException("peer pattern '" + pattern + "' has no {rank}");
    }
    List<PeerAddress> out = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      out.add(parse(pattern.replace("{rank}", Integer.toString(r))));
    }
    return out;
  }

  @Override
  public String toString() {
    return isInProcess() ? "inprocess:" + inProcessName : host + ":" + port;
  }
}
