package dev.weft.server;

import static dev.weft.server.ConcurrentStreamsTest.greedy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.protos.v1.AbortRequest;
import dev.weft.protos.v1.FinishReason;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.ModelInfo;
import dev.weft.protos.v1.ModelInfoRequest;
import dev.weft.protos.v1.SamplingOptions;
import dev.weft.protos.v1.TokenIds;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What a client can ask of one stream: stop strings, min tokens, ignore EOS, deadlines, ids. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingFeaturesTest {

  private Stories stories;
  private WeftServer server;
  private ManagedChannel channel;
  private InferenceGrpc.InferenceStub stub;
  private InferenceGrpc.InferenceBlockingStub blocking;

  @BeforeAll
  void start() throws Exception {
    stories = new Stories();
    String name = InProcessServerBuilder.generateName();
    server =
        WeftServer.start(
            InProcessServerBuilder.forName(name), () -> stories.loaded, ServingOptions.defaults());
    server.awaitLoaded(Duration.ofSeconds(60));
    channel = InProcessChannelBuilder.forName(name).build();
    stub = InferenceGrpc.newStub(channel);
    blocking = InferenceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    stories.close();
  }

  private StreamCall run(GenerateRequest request) throws InterruptedException {
    return StreamCall.start(stub, request, 0).await();
  }

  @Test
  void aStopStringEndsTheStreamAndIsNotReturned() throws Exception {
    int[] prompt = stories.encode("Once upon a time");
    int[] alone = stories.greedyAlone(prompt, 64);
    String full = stories.loaded.tokenizer().decode(prompt[prompt.length - 1], alone);
    String stop = full.substring(30, 36);
    StreamCall call = run(greedy("", "Once upon a time", 64).toBuilder().addStop(stop).build());
    assertThat(call.error).isNull();
    assertThat(call.last.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP_STRING);
    assertThat(call.textSoFar()).isEqualTo(full.substring(0, full.indexOf(stop)));
    int[] got = call.tokens();
    assertThat(got).isEqualTo(Arrays.copyOf(alone, got.length));
    assertThat(call.last.getUsage().getCompletionTokens()).isEqualTo(got.length);
  }

  @Test
  void minTokensMasksStopTokensUntilReached() throws Exception {
    int[] alone = stories.greedyAlone(stories.encode("The little dog"), 40);
    int stopToken = alone[3];
    int firstStop = 0;
    while (alone[firstStop] != stopToken) {
      firstStop++;
    }
    GenerateRequest request =
        greedy("", "The little dog", 40).toBuilder().addStopTokenIds(stopToken).build();
    StreamCall stopped = run(request);
    assertThat(stopped.last.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
    assertThat(stopped.tokens()).isEqualTo(Arrays.copyOf(alone, firstStop));

    StreamCall atLeast = run(request.toBuilder().setMinTokens(12).build());
    int[] got = atLeast.tokens();
    assertThat(got.length).isGreaterThanOrEqualTo(12);
    assertThat(Arrays.copyOf(got, 12)).doesNotContain(stopToken);
    assertThat(Arrays.copyOf(got, firstStop)).isEqualTo(Arrays.copyOf(alone, firstStop));
  }

  @Test
  void ignoreEosGeneratesExactlyMaxTokens() throws Exception {
    GenerateRequest request = greedy("", "Once upon a time", 400);
    StreamCall normal = run(request);
    StreamCall ignoring = run(request.toBuilder().setIgnoreEos(true).build());
    assertThat(ignoring.last.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_LENGTH);
    assertThat(ignoring.tokens()).hasSize(400);
    int[] normalTokens = normal.tokens();
    assertThat(Arrays.copyOf(ignoring.tokens(), normalTokens.length)).isEqualTo(normalTokens);
    System.out.printf(
        "without ignore_eos: %d tokens, %s%n", normalTokens.length, normal.last.getFinishReason());
  }

  @Test
  void aSlowReaderGetsEveryTokenInFewerMessages() throws Exception {
    StreamCall call = StreamCall.slowReader(stub, greedy("", "Ben had a red ball", 48));
    while (call.done.getCount() > 0) {
      Thread.sleep(25);
      call.read();
    }
    assertThat(call.error).isNull();
    assertThat(call.tokens())
        .isEqualTo(stories.greedyAlone(stories.encode("Ben had a red ball"), 48));
    assertThat(call.messages).isLessThan(call.tokens().length);
  }

  @Test
  void tokenIdInputEqualsTheSameTextAndSeededSamplingRepeats() throws Exception {
    int[] prompt = stories.encode("Lucy wanted to play");
    TokenIds.Builder ids = TokenIds.newBuilder();
    Arrays.stream(prompt).forEach(ids::addIds);
    GenerateRequest byIds = greedy("", "", 32).toBuilder().clearText().setTokenIds(ids).build();
    assertThat(run(byIds).tokens()).isEqualTo(stories.greedyAlone(prompt, 32));

    GenerateRequest seeded =
        greedy("", "Lucy wanted to play", 32).toBuilder()
            .setSampling(SamplingOptions.newBuilder().setTemperature(0.9).setTopP(0.95).setSeed(7))
            .build();
    assertThat(run(seeded).tokens()).isEqualTo(run(seeded).tokens());
  }

  @Test
  void aPassedDeadlineEndsTheRequestAndFreesItsBlocks() throws Exception {
    StreamCall call =
        StreamCall.start(
                stub.withDeadlineAfter(150, TimeUnit.MILLISECONDS),
                greedy("", "Once upon a time", 500).toBuilder().setIgnoreEos(true).build(),
                0)
            .await();
    assertThat(call.error.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    ConcurrentStreamsTest.awaitNoLiveRequests(server);
    assertThat(server.kvStats().usedBlocks()).isZero();
  }

  @Test
  void duplicateIdsAreRefusedAndAbortNamesUnknownIds() throws Exception {
    GenerateRequest longOne =
        greedy("dup", "Once upon a time", 500).toBuilder().setIgnoreEos(true).build();
    StreamCall first = StreamCall.start(stub, longOne, 0);
    first.firstToken.await(30, TimeUnit.SECONDS);
    StreamCall second = run(longOne);
    assertThat(second.error.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(second.error.getDescription()).contains("use a unique request_id");
    blocking.abort(AbortRequest.newBuilder().setRequestId("dup").build());
    assertThat(first.await().error.getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThatThrownBy(
            () -> blocking.abort(AbortRequest.newBuilder().setRequestId("nobody").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .contains("no live request has id 'nobody'");
            });
  }

  @Test
  void modelInfoAndHealthDescribeTheServer() {
    ModelInfo info = blocking.getModelInfo(ModelInfoRequest.getDefaultInstance());
    assertThat(info.getModel()).isEqualTo("stories260K");
    assertThat(info.getContextWindow()).isEqualTo(512);
    assertThat(info.getBlockSize()).isEqualTo(16);
    assertThat(info.getKvCapacityTokens()).isEqualTo(16L * info.getKvCapacityBlocks());
    assertThat(info.getScheduler()).isEqualTo("continuous");
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel)
            .check(HealthCheckRequest.newBuilder().setService("weft.v1.Inference").build());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }
}
