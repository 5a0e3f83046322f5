package dev.weft.cli;

import dev.weft.server.BearerTokens;
import dev.weft.server.ServerSecurity;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code serve}'s TLS, bearer-token and request-size flags. */
final class ServerSecurityFlags {

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "Certificate chain (PEM): serve gRPC over TLS. Needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "Private key of --tls-cert (PKCS#8 PEM).")
  Path tlsKey;

  @Option(
      names = "--auth-token-file",
      paramLabel = "FILE",
      description =
          "Require 'authorization: Bearer <token>' on every call but health; the file holds the"
              + " accepted tokens, one a line.")
  Path tokenFile;

  @Option(
      names = "--auth-token-env",
      paramLabel = "VAR",
      description = "As --auth-token-file, the token read from environment variable VAR.")
  String tokenEnv;

  @Option(
      names = "--max-request-size",
      defaultValue = "4MiB",
      converter = ByteSize.class,
      paramLabel = "SIZE",
      description =
          "Largest request message; larger get RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  ServerSecurity toSecurity() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both");
    }
    if (tokenFile != null && tokenEnv != null) {
      throw new IllegalArgumentException("give --auth-token-file or --auth-token-env, not both");
    }
    if (maxRequestBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--max-request-size must be below 2GiB");
    }
    Optional<BearerTokens> tokens =
        tokenFile != null
            ? Optional.of(BearerTokens.fromFile(tokenFile))
            : Optional.ofNullable(tokenEnv).map(v -> BearerTokens.fromEnv(v, System.getenv()));
    return new ServerSecurity(
        Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey), tokens, (int) maxRequestBytes);
  }
}
