package dev.weft.server;

import static dev.weft.server.ConcurrentStreamsTest.greedy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.model.LoadedModel;
import dev.weft.protos.v1.FinishReason;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.ServerStatus;
import dev.weft.protos.v1.ServerStatusRequest;
import dev.weft.scheduler.Runner;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Loading, draining, a full queue and a failing request, each on its own server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerLifecycleTest {

  private Stories stories;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  void load() {
    stories = new Stories();
  }

  @AfterAll
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    stories.close();
  }

  private record Running(WeftServer server, ManagedChannel channel) {
    InferenceGrpc.InferenceStub stub() {
      return InferenceGrpc.newStub(channel);
    }

    ServingStatus health() {
      return HealthGrpc.newBlockingStub(channel)
          .check(HealthCheckRequest.getDefaultInstance())
          .getStatus();
    }
  }

  private Running start(
      Supplier<LoadedModel> model, ServingOptions options, UnaryOperator<Runner> decorate) {
    String name = InProcessServerBuilder.generateName();
    WeftServer server =
        WeftServer.start(InProcessServerBuilder.forName(name), model, options, decorate);
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    open.add(server);
    open.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return new Running(server, channel);
  }

  private static GenerateRequest longRequest(String id, int tokens) {
    return greedy(id, "Once upon a time", tokens).toBuilder().setIgnoreEos(true).build();
  }

  @Test
  void whileLoadingHealthIsNotServingAndGenerateIsUnavailable() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Running r =
        start(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return stories.loaded;
            },
            ServingOptions.defaults(),
            UnaryOperator.identity());
    assertThat(r.health()).isEqualTo(ServingStatus.NOT_SERVING);
    StreamCall early = StreamCall.start(r.stub(), greedy("", "Hi", 4), 0).await();
    assertThat(early.error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(early.error.getDescription()).contains("still loading");
    ServerStatus status =
        InferenceGrpc.newBlockingStub(r.channel())
            .getServerStatus(ServerStatusRequest.getDefaultInstance());
    assertThat(status.getLoading()).isTrue();
    release.countDown();
    r.server().awaitLoaded(Duration.ofSeconds(60));
    assertThat(r.health()).isEqualTo(ServingStatus.SERVING);
    assertThat(StreamCall.start(r.stub(), greedy("", "Hi", 4), 0).await().error).isNull();
  }

  @Test
  void drainingFinishesRunningRequestsAndRefusesNewOnes() throws Exception {
    // A generous drain timeout: the machine may be shared, and the point is that it is used.
    ServingOptions options = ServingOptions.defaults().withDrainTimeout(Duration.ofSeconds(120));
    Running r = start(() -> stories.loaded, options, UnaryOperator.identity());
    r.server().awaitLoaded(Duration.ofSeconds(60));
    StreamCall running = StreamCall.start(r.stub(), longRequest("long", 120), 0);
    running.firstToken.await(30, TimeUnit.SECONDS);
    Thread drain =
        new Thread(
            () -> {
              try {
                r.server().drainAndStop();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    drain.start();
    while (!r.server().status().getDraining()) {
      Thread.sleep(1);
    }
    StreamCall late = StreamCall.start(r.stub(), greedy("", "Hi", 4), 0).await();
    assertThat(late.error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(late.error.getDescription()).contains("draining");
    running.await();
    assertThat(running.error).isNull();
    assertThat(running.last.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_LENGTH);
    assertThat(running.tokens()).hasSize(120);
    drain.join(120_000);
    assertThat(drain.isAlive()).isFalse();
  }

  @Test
  void aFullQueueAnswersResourceExhaustedAndAdmittedRequestsComplete() throws Exception {
    ServingOptions tight = ServingOptions.defaults().withLimits(1, 512, 1);
    Running r = start(() -> stories.loaded, tight, UnaryOperator.identity());
    r.server().awaitLoaded(Duration.ofSeconds(60));
    List<StreamCall> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(StreamCall.start(r.stub(), longRequest("q" + i, 100), 0));
    }
    int exhausted = 0;
    for (StreamCall call : calls) {
      call.await();
      if (call.error != null) {
        assertThat(call.error.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(call.error.getDescription()).contains("retry later");
        exhausted++;
      } else {
        assertThat(call.tokens()).hasSize(100);
      }
    }
    // All six arrive before the first step: one waits (the queue holds one), the rest are refused.
    assertThat(exhausted).isBetween(1, 5);
    ConcurrentStreamsTest.awaitNoLiveRequests(r.server());
    assertThat(r.server().kvStats().usedBlocks()).isZero();
  }

  @Test
  void aRequestThatBreaksTheRunnerFailsAloneAndItsBatchGoesOn() throws Exception {
    UnaryOperator<Runner> poison =
        runner ->
            plan -> {
              if (plan.sequences().stream().anyMatch(s -> s.requestId().startsWith("poison"))) {
                throw new IllegalStateException("injected fault");
              }
              return runner.execute(plan);
            };
    Running r = start(() -> stories.loaded, ServingOptions.defaults(), poison);
    r.server().awaitLoaded(Duration.ofSeconds(60));
    List<StreamCall> good = new ArrayList<>();
    StreamCall bad = null;
    for (int i = 0; i < 5; i++) {
      good.add(StreamCall.start(r.stub(), greedy("ok" + i, Stories.PROMPTS[i], 40), 0));
      if (i == 2) {
        bad = StreamCall.start(r.stub(), greedy("poison", Stories.PROMPTS[i], 40), 0);
      }
    }
    bad.await();
    assertThat(bad.error.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(bad.error.getDescription()).contains("injected fault", "only this request failed");
    for (int i = 0; i < good.size(); i++) {
      StreamCall call = good.get(i).await();
      assertThat(call.error).isNull();
      assertThat(call.tokens())
          .isEqualTo(stories.greedyAlone(stories.encode(Stories.PROMPTS[i]), 40));
    }
    ConcurrentStreamsTest.awaitNoLiveRequests(r.server());
    assertThat(r.server().kvStats().usedBlocks()).isZero();
  }
}
