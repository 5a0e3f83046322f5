package dev.weft.cli;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A client's TLS trust and bearer token: the other side of {@link ServerSecurityFlags}. */
final class ClientSecurityFlags {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Option(names = "--tls", description = "Connect over TLS, trusting the system's CAs.")
  boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      description = "Connect over TLS, trusting this CA certificate (implies --tls).")
  Path tlsCa;

  @Option(
      names = "--auth-token-file",
      paramLabel = "FILE",
      description = "Send the bearer token in FILE (its first line).")
  Path tokenFile;

  @Option(
      names = "--auth-token-env",
      paramLabel = "VAR",
      description = "Send the bearer token in environment variable VAR.")
  String tokenEnv;

  boolean usesTls() {
    return tls || tlsCa != null;
  }

  /** A channel to {@code address} over TLS or plaintext, sending the token on every call. */
  ManagedChannel channel(ServerAddress address) {
    NettyChannelBuilder builder;
    if (usesTls()) {
      TlsChannelCredentials.Builder creds = TlsChannelCredentials.newBuilder();
      if (tlsCa != null) {
        try {
          creds.trustManager(tlsCa.toFile());
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read the CA certificate " + tlsCa, e);
        }
      }
      builder = NettyChannelBuilder.forAddress(address.host(), address.port(), creds.build());
    } else {
      builder = NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext();
    }
    String token = token();
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + token);
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return builder.build();
  }

  private String token() {
    if (tokenFile != null && tokenEnv != null) {
      throw new IllegalArgumentException("give --auth-token-file or --auth-token-env, not both");
    }
    if (tokenFile != null) {
      try {
        return Files.readAllLines(tokenFile, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("token file " + tokenFile + " holds no token"));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the token file " + tokenFile, e);
      }
    }
    if (tokenEnv != null) {
      String value = System.getenv(tokenEnv);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("environment variable " + tokenEnv + " is unset");
      }
      return value.strip();
    }
    return null;
  }
}
