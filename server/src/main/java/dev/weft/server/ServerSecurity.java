package dev.weft.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the server's port is locked down: TLS (certificate chain and PKCS#8 key, PEM), bearer tokens
 * and the largest request accepted. Any of TLS and tokens may be absent (a plaintext, open port for
 * local use).
 *
 * @param tlsCertificate PEM certificate chain, or empty for plaintext
 * @param tlsPrivateKey PEM PKCS#8 private key, given exactly when the certificate is
 * @param tokens the accepted bearer tokens, or empty to accept every caller
 * @param maxRequestBytes the largest request message; larger ones get RESOURCE_EXHAUSTED
 */
public record ServerSecurity(
    Optional<Path> tlsCertificate,
    Optional<Path> tlsPrivateKey,
    Optional<BearerTokens> tokens,
    int maxRequestBytes) {

  /** The default request limit: 4 MiB, gRPC's own default, room for a 100k-token prompt. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 << 20;

  /** Largest metadata block: an authorization header and tracing headers, not payloads. */
  static final int MAX_METADATA_BYTES = 16 << 10;

  public ServerSecurity {
    if (tlsCertificate.isPresent() != tlsPrivateKey.isPresent()) {
      throw new IllegalArgumentException("TLS needs both a certificate chain and a private key");
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "the request size limit is " + maxRequestBytes + " bytes, must be >= 1024");
    }
  }

  /** Plaintext, no tokens, the default size limit. */
  public static ServerSecurity none() {
    return new ServerSecurity(
        Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_MAX_REQUEST_BYTES);
  }

  public boolean tls() {
    return tlsCertificate.isPresent();
  }

  /** A Netty server builder on {@code address} with this TLS and size limit. */
  public NettyServerBuilder serverBuilder(InetSocketAddress address) {
    return NettyServerBuilder.forAddress(address, credentials())
        .maxInboundMessageSize(maxRequestBytes)
        .maxInboundMetadataSize(MAX_METADATA_BYTES);
  }

  private ServerCredentials credentials() {
    if (tlsCertificate.isEmpty()) {
      return InsecureServerCredentials.create();
    }
    try {
      return TlsServerCredentials.create(
          tlsCertificate.get().toFile(), tlsPrivateKey.get().toFile());
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use TLS certificate "
              + tlsCertificate.get()
              + " with key "
              + tlsPrivateKey.get()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return (tls() ? "TLS" : "plaintext")
        + ", "
        + tokens.map(BearerTokens::toString).orElse("no authentication")
        + ", requests up to "
        + maxRequestBytes
        + " bytes";
  }
}
