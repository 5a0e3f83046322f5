package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Overload on loopback: ten times the server's measured capacity offered for 30 s. The excess must
 * be refused at once with RESOURCE_EXHAUSTED (bounded queue), every admitted request must complete
 * with all its tokens, the JVM heap must stay bounded, and the server must serve normally after.
 */
@Tag("slow")
class OverloadSoakTest {

  static final int TOKENS = 32;

  @Test
  void tenTimesCapacityForThirtySeconds() throws Exception {
    try (Stories stories = new Stories()) {
      ServingOptions options = ServingOptions.defaults().withLimits(16, 512, 32);
      WeftServer server =
          WeftServer.start(
              NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
              () -> stories.loaded,
              options);
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        server.awaitLoaded(Duration.ofSeconds(60));
        InferenceGrpc.InferenceStub stub = InferenceGrpc.newStub(channel);
        GenerateRequest request =
            ConcurrentStreamsTest.greedy("", "Once upon a time", TOKENS).toBuilder()
                .setIgnoreEos(true)
                .build();

        // Capacity: requests per second completed with the batch kept full for 5 s.
        double capacity = measureCapacity(stub, request, 16, Duration.ofSeconds(5));
        double offered = 10 * capacity;
        System.out.printf("capacity %.1f req/s; offering %.1f req/s for 30 s%n", capacity, offered);
        long heapBefore = usedHeapAfterGc();

        List<StreamCall> calls = new ArrayList<>();
        int maxWaitingSeen = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(Long.getLong("weft.soak.seconds", 30));
        long interval = (long) (1e9 / offered);
        for (long next = start; next < end; next += interval) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          calls.add(StreamCall.start(stub, request, 0));
          if (calls.size() % 50 == 0) {
            maxWaitingSeen = Math.max(maxWaitingSeen, server.status().getWaiting());
          }
        }
        Map<Status.Code, Integer> outcomes = new TreeMap<>();
        Map<Status.Code, String> examples = new TreeMap<>();
        for (StreamCall call : calls) {
          call.await();
          Status.Code code = call.error == null ? Status.Code.OK : call.error.getCode();
          outcomes.merge(code, 1, Integer::sum);
          if (call.error != null) {
            examples.putIfAbsent(code, String.valueOf(call.error.getDescription()));
          }
          if (code == Status.Code.OK) {
            assertThat(call.tokens()).hasSize(TOKENS);
          }
        }
        System.out.printf(
            "offered %d requests: %s; waiting queue peaked at %d; e.g. %s%n",
            calls.size(), outcomes, maxWaitingSeen, examples);
        assertThat(outcomes.keySet())
            .as("admitted requests complete; the rest are refused")
            .containsOnly(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED);
        assertThat(outcomes.get(Status.Code.RESOURCE_EXHAUSTED)).isGreaterThan(calls.size() / 2);
        assertThat(outcomes.get(Status.Code.OK)).isPositive();
        assertThat(maxWaitingSeen).isLessThanOrEqualTo(32);

        ConcurrentStreamsTest.awaitNoLiveRequests(server);
        assertThat(server.kvStats().usedBlocks()).isZero();
        long heapAfter = usedHeapAfterGc();
        System.out.printf(
            "heap after GC: %d MiB before, %d MiB after%n", heapBefore >> 20, heapAfter >> 20);
        assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(64L << 20);

        StreamCall after =
            StreamCall.start(stub, ConcurrentStreamsTest.greedy("", "The little dog", 40), 0)
                .await();
        assertThat(after.error).isNull();
        assertThat(after.tokens())
            .isEqualTo(stories.greedyAlone(stories.encode("The little dog"), 40));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
      }
    }
  }

  /**
   * Completed requests per second with rounds of {@code concurrency} requests sent together (after
   * one unmeasured round, so that JIT compilation is not counted).
   */
  private static double measureCapacity(
      InferenceGrpc.InferenceStub stub, GenerateRequest request, int concurrency, Duration span)
      throws InterruptedException {
    round(stub, request, concurrency);
    long start = System.nanoTime();
    int completed = 0;
    while (System.nanoTime() - start < span.toNanos()) {
      completed += round(stub, request, concurrency);
    }
    return completed / ((System.nanoTime() - start) / 1e9);
  }

  private static int round(InferenceGrpc.InferenceStub stub, GenerateRequest request, int n)
      throws InterruptedException {
    List<StreamCall> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(StreamCall.start(stub, request, 0));
    }
    for (StreamCall call : calls) {
      call.await();
    }
    return n;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
