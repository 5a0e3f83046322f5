package dev.weft.benchmarks.server;

import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.SamplingOptions;
import dev.weft.protos.v1.TokenIds;
import dev.weft.server.ServerStep;
import dev.weft.server.ServingOptions;
import dev.weft.server.StepLog;
import dev.weft.server.StepLogOptions;
import dev.weft.server.WeftServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What keeping step records costs the server: (1) the recording itself, timed per step on real step
 * records (ring only; ring and CSV file), and (2) the same closed-loop workload through the live
 * server with the step log off, on (ring) and on with a file, alternated, wall time and the
 * server's step time compared.
 *
 * <p>Usage: {@code StepLogOverhead MODEL_DIR OUT_DIR [requests] [reps]}
 */
public final class StepLogOverhead {

  private StepLogOverhead() {}

  public static void main(String[] args) throws Exception {
    Path modelDir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("steplog");
    LoadedModel model =
        LoadedModel.load(
            ModelSearchPath.standard(Optional.empty(), work, Optional.empty())
                .resolve(modelDir.toString()));
    List<String> csv = new ArrayList<>();
    csv.add("mode,rep,requests,steps,wall_s,mean_step_ms,record_ns_per_step");
    List<ServerStep> sample = null;
    String[] modes = {"off", "ring", "ring+file"};
    double[][] wall = new double[modes.length][reps];
    double[][] stepMs = new double[modes.length][reps];
    for (int rep = 0; rep < reps; rep++) {
      for (int m = 0; m < modes.length; m++) {
        StepLogOptions options =
            switch (modes[m]) {
              case "off" -> StepLogOptions.off();
              case "ring" -> StepLogOptions.defaults();
              default -> StepLogOptions.defaults().withFile(work.resolve("steps-" + rep + ".csv"));
            };
        // the "off" run still needs the steps to report step time: a second, listening view
        WeftServer server =
            WeftServer.start(
                ServerBuilder.forPort(0), () -> model, ServingOptions.defaults(), options);
        long[] steps = new long[1];
        long[] stepNanos = new long[1];
        server
            .metrics()
            .onStep(
                (r, kv) -> {
                  steps[0]++;
                  stepNanos[0] += r.scheduleNanos() + r.runNanos() + r.applyNanos();
                });
        server.awaitLoaded(Duration.ofMinutes(5));
        ManagedChannel channel =
            ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        run(channel, 32, 8, model.config().vocabSize(), 99); // warm-up
        steps[0] = 0;
        stepNanos[0] = 0;
        long t0 = System.nanoTime();
        run(channel, requests, 16, model.config().vocabSize(), rep);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (modes[m].equals("ring")) {
          sample = server.steps().recent();
        }
        channel.shutdownNow();
        server.drainAndStop();
        wall[m][rep] = seconds;
        stepMs[m][rep] = stepNanos[0] / 1e6 / Math.max(1, steps[0]);
        csv.add(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%d,%.3f,%.3f,",
                modes[m],
                rep,
                requests,
                steps[0],
                seconds,
                stepMs[m][rep]));
        System.out.println(csv.get(csv.size() - 1));
      }
    }
    double ringNs = recordingNanos(sample, StepLogOptions.defaults());
    double fileNs =
        recordingNanos(sample, StepLogOptions.defaults().withFile(work.resolve("micro.csv")));
    csv.add(String.format(Locale.ROOT, "ring (micro),,,%d,,,%.1f", sample.size(), ringNs));
    csv.add(String.format(Locale.ROOT, "ring+file (micro),,,%d,,,%.1f", sample.size(), fileNs));
    Files.write(out.resolve("step-log-overhead.csv"), csv);
    StringBuilder md = new StringBuilder();
    md.append("| mode | mean wall (s) | min wall (s) | mean step (ms) | vs off (mean wall) |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    double offMean = mean(wall[0]);
    for (int m = 0; m < modes.length; m++) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f | %.3f | %.3f | %+.2f%% |%n",
              modes[m],
              mean(wall[m]),
              min(wall[m]),
              mean(stepMs[m]),
              100 * (mean(wall[m]) - offMean) / offMean));
    }
    double meanStepNs = mean(stepMs[1]) * 1e6;
    md.append(
        String.format(
            Locale.ROOT,
            "%nRecording one step (ServerStep.of's counts are taken inside the loop; this times"
                + " building the record and StepLog.add on %d real steps, 200 rounds): ring %.0f ns,"
                + " ring + CSV file %.0f ns per step = %.4f%% / %.4f%% of the mean step of %.2f"
                + " ms.%n",
            sample.size(),
            ringNs,
            fileNs,
            100 * ringNs / meanStepNs,
            100 * fileNs / meanStepNs,
            meanStepNs / 1e6));
    Files.writeString(out.resolve("step-log-overhead.md"), md.toString());
    System.out.print(md);
  }

  /** Mean nanoseconds to rebuild and add each step (the loop thread's whole recording work). */
  private static double recordingNanos(List<ServerStep> steps, StepLogOptions options) {
    int rounds = 200;
    long total = 0;
    try (StepLog log = new StepLog(options)) {
      for (int round = 0; round < rounds; round++) {
        long t0 = System.nanoTime();
        for (ServerStep s : steps) {
          log.add(
              new ServerStep(
                  s.record(),
                  s.sampleNanos(),
                  s.streamNanos(),
                  s.contextTokens(),
                  s.blocksTouched(),
                  s.attentionGroups()));
        }
        if (round >= rounds / 2) { // the first half warms the JIT up
          total += System.nanoTime() - t0;
        }
      }
    }
    return total / (double) ((rounds - rounds / 2) * steps.size());
  }

  /**
   * {@code n} requests (32-token prompts, 16 tokens out) from {@code clients} closed-loop clients.
   */
  private static void run(ManagedChannel channel, int n, int clients, int vocab, long seed)
      throws InterruptedException {
    InferenceGrpc.InferenceStub stub = InferenceGrpc.newStub(channel);
    Semaphore slots = new Semaphore(clients);
    CountDownLatch done = new CountDownLatch(n);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      slots.acquire();
      TokenIds.Builder ids = TokenIds.newBuilder();
      for (int t = 0; t < 32; t++) {
        ids.addIds(3 + random.nextInt(vocab - 3));
      }
      GenerateRequest request =
          GenerateRequest.newBuilder()
              .setRequestId("o" + seed + "-" + i)
              .setTokenIds(ids)
              .setSampling(SamplingOptions.newBuilder().setTemperature(0))
              .setMaxTokens(16)
              .setIgnoreEos(true)
              .build();
      stub.generate(
          request,
          new StreamObserver<GenerateResponse>() {
            @Override
            public void onNext(GenerateResponse value) {}

            @Override
            public void onError(Throwable t) {
              slots.release();
              done.countDown();
            }

            @Override
            public void onCompleted() {
              slots.release();
              done.countDown();
            }
          });
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("overhead run did not finish");
    }
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }
}
