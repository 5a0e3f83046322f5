package dev.weft.cli.graph;

import java.nio.file.Path;

/**
 * What {@code --graph} names: a generated Kronecker ({@code kron:SCALE}), uniform random ({@code
 * urand:SCALE}) or ratings ({@code ratings:SCALE}: 2^SCALE users, 2^(SCALE−1) items) graph, or a
 * file path.
 */
public record GraphSpec(Kind kind, int scale, Path path) {

  /** Where the graph comes from. */
  public enum Kind {
    KRON,
    URAND,
    RATINGS,
    FILE
  }

  public GraphSpec {
    if (kind == Kind.FILE ? path == null : (scale < 1 || scale > 30)) {
      throw new IllegalArgumentException(
          kind == Kind.FILE ? "a file graph needs a path" : "scale must be in 1..30: " + scale);
    }
  }

  public static GraphSpec parse(String text) {
    int colon = text.indexOf(':');
    if (colon > 0) {
      String prefix = text.substring(0, colon);
      Kind kind =
          switch (prefix) {
            case "kron" -> Kind.KRON;
            case "urand" -> Kind.URAND;
            case "ratings" -> Kind.RATINGS;
            default -> null;
          };
      if (kind != null) {
        String rest = text.substring(colon + 1);
        try {
          return new GraphSpec(kind, Integer.parseInt(rest), null);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--graph " + text + ": the scale after '" + prefix + ":' must be an integer");
        }
      }
    }
    return new GraphSpec(Kind.FILE, 0, Path.of(text));
  }

  @Override
  public String toString() {
    return switch (kind) {
      case KRON -> "kron:" + scale;
      case URAND -> "urand:" + scale;
      case RATINGS -> "ratings:" + scale;
      case FILE -> path.toString();
    };
  }
}
