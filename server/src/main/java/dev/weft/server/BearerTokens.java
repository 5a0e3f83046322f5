package dev.weft.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bearer tokens a server accepts. Read from a file (one token a line, so a new one can be added
 * before the old one is removed) or from an environment variable. The tokens themselves never leave
 * this class: {@link #toString()} and every error name only the file or variable.
 */
public final class BearerTokens {

  private final List<byte[]> tokens;
  private final String source;

  private BearerTokens(List<byte[]> tokens, String source) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no token");
    }
    this.tokens = List.copyOf(tokens);
    this.source = source;
  }

  /** Tokens from a file, one a line; blank lines and lines starting with '#' are skipped. */
  public static BearerTokens fromFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the token file " + file + ": " + e.getClass().getSimpleName(), e);
    }
    List<byte[]> tokens = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        tokens.add(checked(line, "token file " + file + " line " + (i + 1)));
      }
    }
    return new BearerTokens(tokens, "token file " + file);
  }

  /** The token in environment variable {@code name} of {@code env}. */
  public static BearerTokens fromEnv(String name, Map<String, String> env) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("environment variable " + name + " is unset or empty");
    }
    return new BearerTokens(
        List.of(checked(value.strip(), "environment variable " + name)),
        "environment variable " + name);
  }

  private static byte[] checked(String token, String where) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      // What an HTTP header value may carry (RFC 6750's b64token and then some), no spaces.
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            where + ": a token may only hold printable ASCII without spaces");
      }
    }
    return token.getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether {@code presented} is one of the tokens; constant time in the token's content. */
  boolean accepts(String presented) {
    byte[] bytes = presented.getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (byte[] token : tokens) {
      match |= MessageDigest.isEqual(token, bytes);
    }
    return match;
  }

  @Override
  public String toString() {
    return tokens.size() + " bearer token(s) from the " + source;
  }
}
