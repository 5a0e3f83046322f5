package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.protos.v1.EmbedRequest;
import dev.weft.protos.v1.EmbedResponse;
import dev.weft.protos.v1.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Embed RPC on all-MiniLM-L6-v2 (ONNX Runtime): the golden similarities (computed once with ORT
 * directly, see resources/embeddings/README.md) are reproduced through dynamic batching and padding
 * and rank the pairs as the published model does; concurrent requests are batched together without
 * changing any vector; bad requests get INVALID_ARGUMENT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbedServiceTest {

  private Stories stories;
  private WeftServer server;
  private ManagedChannel channel;
  private InferenceGrpc.InferenceBlockingStub stub;

  record Golden(int pair, double cosine, String a, String b) {}

  @BeforeAll
  void start() throws Exception {
    stories = new Stories();
    String name = InProcessServerBuilder.generateName();
    // A long gathering delay makes the batching of concurrent requests certain in the test.
    EmbeddingOptions batching = new EmbeddingOptions(32, Duration.ofMillis(300), 64, 40, 2);
    server =
        WeftServer.start(
            InProcessServerBuilder.forName(name),
            () -> stories.loaded,
            ServingOptions.defaults().withKvCacheMemory(1 << 20),
            ServerSecurity.none(),
            new WeftServer.Embeddings(
                () ->
                    SentenceEmbedder.load(
                        EmbeddingFiles.builtIn(Path.of("target", "embedding-models")),
                        batching.intraOpThreads()),
                batching));
    server.awaitLoaded(Duration.ofSeconds(120));
    channel = InProcessChannelBuilder.forName(name).build();
    stub = InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES);
  }

  @AfterAll
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    stories.close();
  }

  static List<Golden> golden() throws Exception {
    List<Golden> out = new ArrayList<>();
    List<String> lines =
        Files.readAllLines(
            Path.of(EmbedServiceTest.class.getResource("/embeddings/golden-cosines.csv").toURI()));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",\"");
      String[] head = f[0].split(",");
      out.add(
          new Golden(
              Integer.parseInt(head[0]),
              Double.parseDouble(head[1]),
              f[1].substring(0, f[1].length() - 1),
              f[2].substring(0, f[2].length() - 1)));
    }
    return out;
  }

  static double dot(EmbedResponse r, int i, int j) {
    double d = 0;
    for (int k = 0; k < r.getEmbeddings(i).getValuesCount(); k++) {
      d += r.getEmbeddings(i).getValues(k) * r.getEmbeddings(j).getValues(k);
    }
    return d;
  }

  @Test
  void goldenSimilaritiesAreReproducedAndRankedAsPublished() throws Exception {
    List<Golden> golden = golden();
    EmbedRequest.Builder request = EmbedRequest.newBuilder();
    golden.forEach(g -> request.addTexts(g.a()).addTexts(g.b()));
    EmbedResponse response = stub.embed(request.build()); // 20 texts of mixed length: padded
    assertThat(response.getModel()).isEqualTo(EmbeddingFiles.BUILT_IN);
    assertThat(response.getEmbeddingsCount()).isEqualTo(2 * golden.size());
    assertThat(response.getEmbeddings(0).getValuesCount()).isEqualTo(384);
    double[] cosines = new double[golden.size()];
    for (int p = 0; p < golden.size(); p++) {
      cosines[p] = dot(response, 2 * p, 2 * p + 1);
      assertThat(cosines[p]).as("pair %d", p).isCloseTo(golden.get(p).cosine(), within(1e-4));
    }
    // The model card's published similarities for its example (pairs 0-2), to its 4 decimals.
    assertThat(cosines[0]).isCloseTo(0.6660, within(5e-4));
    assertThat(cosines[1]).isCloseTo(0.1046, within(5e-4));
    assertThat(cosines[2]).isCloseTo(0.1411, within(5e-4));
    List<Integer> expectedOrder =
        IntStream.range(0, golden.size())
            .boxed()
            .sorted(Comparator.comparingDouble(p -> -golden.get(p).cosine()))
            .toList();
    List<Integer> order =
        IntStream.range(0, golden.size())
            .boxed()
            .sorted(Comparator.comparingDouble(p -> -cosines[p]))
            .toList();
    assertThat(order).isEqualTo(expectedOrder);
    // Unit length: a dot product is the cosine.
    assertThat(dot(response, 0, 0)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void concurrentRequestsAreBatchedTogetherWithoutChangingAnyVector() throws Exception {
    List<String> texts =
        List.of(
            "A man is eating food.",
            "The cat sits outside",
            "How do I reset my password?",
            "It's so sunny outside!",
            "He drove to the stadium.",
            "A woman watches TV.",
            "The new movie is so great",
            "The stock market fell sharply on Monday.");
    List<float[]> alone = new ArrayList<>();
    for (String t : texts) {
      alone.add(toArray(stub.embed(EmbedRequest.newBuilder().addTexts(t).build()), 0));
    }
    double batchesBefore = count("weft_embedding_batch_size");
    InferenceGrpc.InferenceStub async = InferenceGrpc.newStub(channel);
    List<CompletableFuture<EmbedResponse>> calls = new ArrayList<>();
    for (String t : texts) {
      CompletableFuture<EmbedResponse> f = new CompletableFuture<>();
      async.embed(EmbedRequest.newBuilder().addTexts(t).build(), observer(f));
      calls.add(f);
    }
    for (int i = 0; i < texts.size(); i++) {
      float[] together = toArray(calls.get(i).get(60, TimeUnit.SECONDS), 0);
      for (int k = 0; k < together.length; k++) {
        assertThat(together[k]).isCloseTo(alone.get(i)[k], within(2e-5f));
      }
    }
    // Eight requests sent within the 300 ms gathering delay share model runs.
    assertThat(count("weft_embedding_batch_size") - batchesBefore).isLessThan(texts.size());
  }

  @Test
  void longTextsAreTruncatedAndBadRequestsRefused() {
    EmbedResponse r =
        stub.embed(EmbedRequest.newBuilder().addTexts("word ".repeat(600)).addTexts("hi").build());
    assertThat(r.getTruncatedTexts()).isEqualTo(1);
    assertThat(r.getPromptTokens()).isEqualTo(SentenceEmbedder.MAX_TOKENS + 3);
    assertThatThrownBy(() -> stub.embed(EmbedRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("at least one text");
            });
    EmbedRequest.Builder many = EmbedRequest.newBuilder();
    IntStream.range(0, 41).forEach(i -> many.addTexts("t" + i));
    assertThatThrownBy(() -> stub.embed(many.build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("at most 40"));
    assertThat(
            server.metrics().registry().scrape().stream()
                .map(m -> m.getMetadata().getPrometheusName()))
        .contains(
            "weft_embedding_request_latency_seconds",
            "weft_embedding_texts",
            "weft_embedding_tokens",
            "weft_embedding_run_duration_seconds");
  }

  private double count(String histogram) {
    return server.metrics().registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(histogram))
        .mapToDouble(
            m ->
                ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) m)
                    .getDataPoints().stream().mapToLong(d -> d.getCount()).sum())
        .sum();
  }

  private static float[] toArray(EmbedResponse r, int i) {
    List<Float> v = r.getEmbeddings(i).getValuesList();
    float[] out = new float[v.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = v.get(k);
    }
    return out;
  }

  private static StreamObserver<EmbedResponse> observer(CompletableFuture<EmbedResponse> f) {
    return new StreamObserver<>() {
      @Override
      public void onNext(EmbedResponse value) {
        f.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        f.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
