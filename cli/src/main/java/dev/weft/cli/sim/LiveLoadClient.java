package dev.weft.cli.sim;

import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.SamplingOptions;
import dev.weft.protos.v1.TokenIds;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.WorkloadRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load client over weft.v1.Inference: sends each request of a workload at its arrival
 * time (token-id prompts, greedy, ignore_eos, max_tokens = its output length, so it generates
 * exactly what the simulator's request does) and timestamps every streamed token on arrival, as
 * vLLM's benchmark_serving does. Times are relative to the workload's start.
 */
final class LiveLoadClient {

  private LiveLoadClient() {}

  /** Every request's timings, and the error messages of the requests that failed. */
  record Result(List<RequestTiming> timings, List<String> errors) {}

  static Result run(ManagedChannel channel, Workload workload, long timeoutSeconds)
      throws InterruptedException {
    InferenceGrpc.InferenceStub stub = InferenceGrpc.newStub(channel);
    List<WorkloadRequest> requests = workload.requests();
    int n = requests.size();
    long[] sent = new long[n];
    long[] end = new long[n];
    boolean[] ok = new boolean[n];
    List<List<Long>> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tokens.add(new ArrayList<>());
    }
    String[] errors = new String[n];
    CountDownLatch done = new CountDownLatch(n);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      WorkloadRequest r = requests.get(i);
      long due = t0 + r.arrivalNanos();
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        LockSupport.parkNanos(Math.min(due - now, 1_000_000));
      }
      GenerateRequest request =
          GenerateRequest.newBuilder()
              .setRequestId(r.id())
              .setTokenIds(TokenIds.newBuilder().addAllIds(asList(workload.promptOf(i))))
              .setSampling(SamplingOptions.newBuilder().setTemperature(0))
              .setMaxTokens(r.outputTokens())
              .setIgnoreEos(true)
              .setPriority(r.priority())
              .build();
      int index = i;
      List<Long> times = tokens.get(i);
      sent[i] = System.nanoTime() - t0;
      stub.generate(
          request,
          new StreamObserver<GenerateResponse>() {
            @Override
            public void onNext(GenerateResponse response) {
              long now = System.nanoTime() - t0;
              for (int k = 0; k < response.getTokenIdsCount(); k++) {
                times.add(now);
              }
            }

            @Override
            public void onError(Throwable t) {
              end[index] = System.nanoTime() - t0;
              errors[index] = t.getMessage();
              done.countDown();
            }

            @Override
            public void onCompleted() {
              end[index] = System.nanoTime() - t0;
              ok[index] = true;
              done.countDown();
            }
          });
    }
    if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "live run did not finish within " + timeoutSeconds + " s (" + done.getCount() + " left)");
    }
    List<RequestTiming> out = new ArrayList<>(n);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (errors[i] != null) {
        failures.add(requests.get(i).id() + ": " + errors[i]);
      }
      synchronized (tokens.get(i)) {
        long[] t = tokens.get(i).stream().mapToLong(Long::longValue).toArray();
        out.add(
            new RequestTiming(
                requests.get(i).id(),
                sent[i],
                t,
                Math.max(sent[i], end[i]),
                requests.get(i).promptTokens(),
                ok[i]));
      }
    }
    return new Result(out, failures);
  }

  private static List<Integer> asList(int[] ids) {
    List<Integer> list = new ArrayList<>(ids.length);
    for (int id : ids) {
      list.add(id);
    }
    return list;
  }
}
