package dev.weft.cli;

import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.SamplingOptions;
import dev.weft.protos.v1.TokenIds;
import dev.weft.simulator.metrics.RequestTiming;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a workload open-loop (each request at its arrival time, whatever is outstanding, as vLLM's
 * benchmark does) and records what the client saw of each: send time, each token's arrival, end.
 * Greedy with ignore_eos, so every request generates exactly its output length.
 */
final class BenchLoad {

  /** Client-side timings, and failures by status code. */
  record Outcome(List<RequestTiming> timings, Map<String, Integer> failures) {}

  private BenchLoad() {}

  static Outcome run(Channel channel, BenchWorkload workload, PrintWriter progress)
      throws InterruptedException {
    InferenceGrpc.InferenceStub stub = InferenceGrpc.newStub(channel);
    int n = workload.items.size();
    RequestTiming[] timings = new RequestTiming[n];
    Map<String, Integer> failures = new TreeMap<>();
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger finished = new AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      BenchWorkload.Item item = workload.items.get(i);
      long wait = start + item.arrivalNanos() - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int index = i;
      long sent = System.nanoTime();
      List<Long> tokenTimes = new ArrayList<>(item.outputTokens());
      stub.generate(
          request(item),
          new StreamObserver<>() {
            @Override
            public void onNext(GenerateResponse response) {
              long now = System.nanoTime();
              for (int t = 0; t < response.getTokenIdsCount(); t++) {
                tokenTimes.add(now); // tokens coalesced in one message arrive together
              }
            }

            @Override
            public void onError(Throwable error) {
              synchronized (failures) {
                failures.merge(Status.fromThrowable(error).getCode().name(), 1, Integer::sum);
              }
              end(false);
            }

            @Override
            public void onCompleted() {
              end(true);
            }

            private void end(boolean ok) {
              long[] times = tokenTimes.stream().mapToLong(Long::longValue).toArray();
              timings[index] =
                  new RequestTiming(
                      item.id(), sent, times, System.nanoTime(), item.prompt().length, ok);
              bar(progress, finished.incrementAndGet(), n);
              done.countDown();
            }
          });
    }
    done.await();
    progress.println();
    return new Outcome(List.of(timings), failures);
  }

  static GenerateRequest request(BenchWorkload.Item item) {
    TokenIds.Builder ids = TokenIds.newBuilder();
    for (int t : item.prompt()) {
      ids.addIds(t);
    }
    return GenerateRequest.newBuilder()
        .setRequestId(item.id())
        .setTokenIds(ids)
        .setMaxTokens(item.outputTokens())
        .setIgnoreEos(true)
        .setSampling(SamplingOptions.newBuilder().setTemperature(0))
        .build();
  }

  private static void bar(PrintWriter out, int done, int total) {
    int width = 40;
    int filled = (int) ((long) width * done / total);
    synchronized (out) {
      out.print(
          "\r["
              + "#".repeat(filled)
              + ".".repeat(width - filled)
              + "] "
              + done
              + "/"
              + total
              + " requests");
      out.flush();
    }
  }
}
