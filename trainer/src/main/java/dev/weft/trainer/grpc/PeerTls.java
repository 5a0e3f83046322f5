package dev.weft.trainer.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mutual TLS between the peers of a run: every peer presents a certificate signed by the run's CA
 * and accepts only peers that do, so a process without such a certificate cannot join the run or
 * feed it tensors. Peers connect by the names in the peer list, so each certificate must name the
 * host it is reached by (e.g. {@code *.weft-trainer.default.svc.cluster.local} for a StatefulSet).
 *
 * @param certificateChain this peer's certificate chain (PEM)
 * @param privateKey its private key (PKCS#8 PEM)
 * @param trustedCa the run's CA certificate(s) (PEM): the only issuer of peers accepted
 */
public record PeerTls(Path certificateChain, Path privateKey, Path trustedCa) {

  public PeerTls {
    for (Path p : new Path[] {certificateChain, privateKey, trustedCa}) {
      if (p == null || !Files.isReadable(p)) {
        throw new IllegalArgumentException("TLS file " + p + " is missing or unreadable");
      }
    }
  }

  /** Server side: present our certificate, require and verify the client's. */
  ServerCredentials serverCredentials() {
    try {
      return TlsServerCredentials.newBuilder()
          .keyManager(certificateChain.toFile(), privateKey.toFile())
          .trustManager(trustedCa.toFile())
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
          .build();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** Client side: verify the server against the run's CA, present our certificate. */
  ChannelCredentials channelCredentials() {
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(certificateChain.toFile(), privateKey.toFile())
          .trustManager(trustedCa.toFile())
          .build();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  private String describe(Exception e) {
    return "cannot use peer TLS files "
        + certificateChain
        + ", "
        + privateKey
        + ", CA "
        + trustedCa
        + ": "
        + e.getMessage();
  }
}
