package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.protos.testing.TestCertificates;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.ModelInfoRequest;
import dev.weft.protos.v1.SamplingOptions;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over real TLS on loopback with bearer-token auth: no token and a wrong token get
 * UNAUTHENTICATED, the right token is served, a client that does not trust the server's CA cannot
 * connect, health answers without a token on the plaintext health port, an oversized request is
 * refused with RESOURCE_EXHAUSTED, and the token appears in no log line and no error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureServerTest {

  static final String TOKEN = "s3cret-Token-4f9a1c";

  @TempDir static Path dir;
  private Stories stories;
  private WeftServer server;
  private Path trustedCa;
  private int healthPort;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeAll
  void start() throws Exception {
    // slf4j-simple logs to System.err: capture it to prove the token is never written.
    originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8));
    stories = new Stories();
    TestCertificates ca = TestCertificates.authority("server", dir, 11);
    TestCertificates.Leaf leaf = ca.leaf("weft-server");
    trustedCa = ca.caCertificate();
    Path tokenFile =
        Files.writeString(dir.resolve("tokens"), "# rotated weekly\nold-token\n" + TOKEN + "\n");
    ServerSecurity security =
        new ServerSecurity(
            Optional.of(leaf.certificate()),
            Optional.of(leaf.privateKey()),
            Optional.of(BearerTokens.fromFile(tokenFile)),
            64 << 10);
    server =
        WeftServer.start(
            security.serverBuilder(new InetSocketAddress("127.0.0.1", 0)),
            () -> stories.loaded,
            ServingOptions.defaults().withKvCacheMemory(1 << 20),
            security,
            null);
    healthPort =
        server.serveHealthOn(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)));
    server.awaitLoaded(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    stories.close();
    System.setErr(originalErr);
  }

  private ManagedChannel tlsChannel(Path ca) throws Exception {
    ChannelCredentials creds = TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
    return NettyChannelBuilder.forAddress("localhost", server.port(), creds).build();
  }

  static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
        applier.apply(headers);
      }
    };
  }

  static GenerateRequest greedy(String prompt) {
    return GenerateRequest.newBuilder()
        .setText(prompt)
        .setMaxTokens(8)
        .setSampling(SamplingOptions.newBuilder().setTemperature(0))
        .build();
  }

  @Test
  void onlyTheRightTokenIsServed() throws Exception {
    ManagedChannel channel = tlsChannel(trustedCa);
    try {
      InferenceGrpc.InferenceBlockingStub stub =
          InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> stub.getModelInfo(ModelInfoRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("no bearer token");
              });
      String wrong = "wrong-" + TOKEN;
      assertThatThrownBy(
              () -> stub.withCallCredentials(bearer(wrong)).generate(greedy("Hi")).next())
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription())
                    .contains("not valid")
                    .doesNotContain(wrong);
              });
      Iterator<GenerateResponse> ok =
          stub.withCallCredentials(bearer(TOKEN)).generate(greedy("Once upon a time"));
      StringBuilder text = new StringBuilder();
      GenerateResponse last = null;
      while (ok.hasNext()) {
        last = ok.next();
        text.append(last.getText());
      }
      assertThat(last.getUsage().getCompletionTokens()).isEqualTo(8);
      assertThat(text).isNotEmpty();
      // The older token of the file still works: rotation without a restart of clients.
      assertThat(
              stub.withCallCredentials(bearer("old-token"))
                  .getModelInfo(ModelInfoRequest.getDefaultInstance())
                  .getModel())
          .isNotEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .doesNotContain(TOKEN)
        .doesNotContain("old-token");
    // Refusals are counted by reason; no label carries what the caller sent.
    assertThat(
            server.metrics().registry().scrape().stream()
                .flatMap(m -> m.getDataPoints().stream())
                .map(d -> d.getLabels().toString()))
        .contains("{reason=\"unauthenticated\"}")
        .noneMatch(labels -> labels.contains(TOKEN));
  }

  @Test
  void aClientThatDoesNotTrustTheServerCannotConnect() throws Exception {
    Path otherCa = TestCertificates.authority("stranger", dir, 12).caCertificate();
    ManagedChannel channel = tlsChannel(otherCa);
    try {
      assertThatThrownBy(
              () ->
                  InferenceGrpc.newBlockingStub(channel)
                      .withCallCredentials(bearer(TOKEN))
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .getModelInfo(ModelInfoRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    ManagedChannel plain =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      assertThatThrownBy(
              () ->
                  InferenceGrpc.newBlockingStub(plain)
                      .withCallCredentials(bearer(TOKEN))
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .getModelInfo(ModelInfoRequest.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class);
    } finally {
      plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void healthAnswersWithoutATokenOnBothPorts() throws Exception {
    ManagedChannel plain =
        NettyChannelBuilder.forAddress("127.0.0.1", healthPort).usePlaintext().build();
    ManagedChannel tls = tlsChannel(trustedCa);
    try {
      for (ManagedChannel channel : new ManagedChannel[] {plain, tls}) {
        assertThat(
                HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(WeftServer.SERVICE).build())
                    .getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      }
      // The health port serves health only.
      assertThatThrownBy(
              () ->
                  InferenceGrpc.newBlockingStub(plain)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .getModelInfo(ModelInfoRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    } finally {
      plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anOversizedRequestIsRefusedAndTheServerCarriesOn() throws Exception {
    ManagedChannel channel = tlsChannel(trustedCa);
    try {
      InferenceGrpc.InferenceBlockingStub stub =
          InferenceGrpc.newBlockingStub(channel)
              .withCallCredentials(bearer(TOKEN))
              .withDeadlineAfter(30, TimeUnit.SECONDS);
      String huge = "a".repeat(100 << 10);
      assertThatThrownBy(() -> stub.generate(greedy(huge)).next())
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
      assertThat(stub.generate(greedy("Once upon a time")).next().getRequestId()).isNotEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void tokensComeFromAnEnvironmentVariableAndNeverShowInErrorsOrToString() throws Exception {
    BearerTokens fromEnv = BearerTokens.fromEnv("WEFT_TOKEN", Map.of("WEFT_TOKEN", TOKEN + "\n"));
    assertThat(fromEnv.accepts(TOKEN)).isTrue();
    assertThat(fromEnv.accepts(TOKEN + "x")).isFalse();
    assertThat(fromEnv.toString()).doesNotContain(TOKEN).contains("WEFT_TOKEN");
    assertThatThrownBy(() -> BearerTokens.fromEnv("WEFT_TOKEN", Map.of()))
        .hasMessageContaining("WEFT_TOKEN is unset");
    Path bad = Files.writeString(dir.resolve("bad-tokens"), "ok\n" + TOKEN + " with space\n");
    assertThatThrownBy(() -> BearerTokens.fromFile(bad))
        .hasMessageContaining("line 2")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThatThrownBy(() -> BearerTokens.fromFile(dir.resolve("missing")))
        .hasMessageContaining("cannot read the token file");
    assertThat(
            new ServerSecurity(Optional.empty(), Optional.empty(), Optional.of(fromEnv), 1 << 20)
                .toString())
        .doesNotContain(TOKEN);
  }

  /** Writes to two streams: the console and the captured log. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
