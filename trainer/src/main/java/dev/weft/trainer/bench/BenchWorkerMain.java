package dev.weft.trainer.bench;

import com.google.gson.Gson;
import dev.weft.trainer.algo.RingAllReduce;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.grpc.GrpcPeerNetwork;
import dev.weft.trainer.grpc.PeerAddress;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A benchmark process: {@code BenchWorkerMain CONFIG.json}. In {@code grpc} mode it times {@link
 * RingAllReduce} over the gRPC peer service; in {@code tcp} mode it moves the same bytes per link
 * (2(N-1)/N of the buffer) over plain loopback sockets in the same ring, all links busy at once:
 * the raw transport's ceiling under the identical traffic pattern.
 */
public final class BenchWorkerMain {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** Raw TCP's send and receive buffers, allocated once so that no timed run pays for zeroing. */
  private static final byte[] BLOCK = new byte[1 << 20];

  private static final byte[] SINK = new byte[1 << 20];

  private BenchWorkerMain() {}

  public static void main(String[] args) throws Exception {
    BenchConfig c =
        new Gson()
            .fromJson(
                Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), BenchConfig.class);
    List<String> rows = c.mode().equals("grpc") ? grpc(c) : tcp(c);
    if (c.rank() == 0) {
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(c.outCsv())))) {
        rows.forEach(w::println);
      }
    }
    System.exit(0);
  }

  private static List<String> grpc(BenchConfig c) throws IOException {
    int n = c.ports().size();
    List<PeerAddress> peers = new ArrayList<>();
    for (int p : c.ports()) {
      peers.add(PeerAddress.tcp("127.0.0.1", p));
    }
    List<String> rows = new ArrayList<>();
    try (GrpcPeerNetwork net =
        GrpcPeerNetwork.start(c.runId(), c.rank(), peers, null, TIMEOUT, TIMEOUT, Clock.system())) {
      int[] all = RingAllReduce.firstRanks(n);
      int[] call = {0};
      int[] syncs = {0};
      for (long size : c.sizesBytes()) {
        float[] buf = new float[(int) (size / 4)];
        // Rank 0 decides, and a one-value all-reduce tells everyone, whether another untimed
        // all-reduce follows; it also lines everyone up so each timing starts together.
        Warmup warmup = new Warmup(c.warmupSeconds());
        BooleanSupplier next =
            () -> {
              float[] flag = {c.rank() == 0 && warmup.more() ? 1 : 0};
              RingAllReduce.sum(net, all, "sync/" + syncs[0]++, flag, 1, TIMEOUT);
              return flag[0] > 0;
            };
        Runnable allReduce =
            () -> RingAllReduce.sum(net, all, "ar/" + call[0]++, buf, c.chunkElements(), TIMEOUT);
        rows.addAll(
            measure("grpc-allreduce", size, n, c.reps(), c.rank() == 0, warmup, next, allReduce));
      }
    }
    return rows;
  }

  private static List<String> tcp(BenchConfig c) throws Exception {
    int n = c.ports().size();
    int right = (c.rank() + 1) % n;
    List<String> rows = new ArrayList<>();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), c.ports().get(c.rank())));
      Socket out = connect(c.ports().get(right));
      Socket in = server.accept();
      in.setReceiveBufferSize(4 << 20);
      out.setSendBufferSize(4 << 20);
      try (out;
          in) {
        OutputStream os = out.getOutputStream();
        InputStream is = in.getInputStream();
        for (long size : c.sizesBytes()) {
          long perLink = size / 4 / n * 4 * 2 * (n - 1);
          Warmup warmup = new Warmup(c.warmupSeconds());
          BooleanSupplier next =
              () -> {
                try {
                  boolean more = token(c.rank(), is, os, warmup) == 1;
                  // Everyone writes then reads: a barrier, so all links start together.
                  os.write(1);
                  os.flush();
                  if (is.read() != 1) {
                    throw new IOException("ring barrier broken");
                  }
                  return more;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              };
          Runnable transfer =
              () -> {
                try {
                  ringTransfer(is, os, perLink);
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              };
          rows.addAll(
              measure("tcp-ring", size, n, c.reps(), c.rank() == 0, warmup, next, transfer));
        }
      }
    }
    return rows;
  }

  /**
   * Untimed runs until rank 0 has spent {@code seconds} on them (at least one; the first, cold one
   * is reported as repetition -1), then {@code reps} timed ones. {@code next} agrees on whether
   * another warm-up run follows and lines the ranks up.
   */
  private static List<String> measure(
      String mode,
      long size,
      int n,
      int reps,
      boolean recordsCpu,
      Warmup warmup,
      BooleanSupplier next,
      Runnable run) {
    List<String> rows = new ArrayList<>();
    while (next.getAsBoolean()) {
      long t0 = System.nanoTime();
      run.run();
      long t1 = System.nanoTime();
      if (warmup.runs == 0) {
        rows.add(row(mode, size, -1, (t1 - t0) / 1e9, n) + cpuColumn(-1));
      }
      warmup.done(t1 - t0);
    }
    rows.add(
        String.format(
            Locale.ROOT,
            "%s-warmup,%d,%d,%.6f,0,NaN",
            mode,
            size,
            warmup.runs,
            warmup.nanos / 1e9));
    // CPU is read once before the first timed run and once after the last, and each row gets the
    // mean: reading ~40 /proc files between runs took milliseconds and made raw TCP's 1 MB runs
    // measurably slower (0.50-0.60 vs 0.72-0.97 GB/s). Only rank 0's rows are kept, so only rank
    // 0 reads. The figure includes the barriers before the runs.
    long cpu0 = recordsCpu ? processCpuNanos() : 0;
    double[] seconds = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      next.getAsBoolean();
      long t0 = System.nanoTime();
      run.run();
      seconds[rep] = (System.nanoTime() - t0) / 1e9;
    }
    long cpuPerRun = recordsCpu && reps > 0 ? (processCpuNanos() - cpu0) / reps : -1;
    for (int rep = 0; rep < reps; rep++) {
      rows.add(row(mode, size, rep, seconds[rep], n) + cpuColumn(cpuPerRun));
    }
    return rows;
  }

  /**
   * CPU time of this whole process (every thread: the transport's event loops, raw TCP's sending
   * threads, the garbage collector and the JIT). With more worker JVMs than cores the bandwidth is
   * capped by CPU per byte, which this shows with less run-to-run spread than the wall time. On
   * Linux the sum of every thread's scheduler run time in nanoseconds ({@code
   * /proc/self/task/}{@code *}{@code /schedstat}); the JVM's own figure counts 10 ms clock ticks,
   * too coarse for a 1 MB run.
   */
  private static long processCpuNanos() {
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      long sum = SENDERS_CPU.get();
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          if (Files.readString(t.resolve("comm")).strip().equals(SENDER_NAME)) {
            continue; // counted in SENDERS_CPU once it ends
          }
          String stat = Files.readString(t.resolve("schedstat"));
          sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (IOException e) {
          // the thread ended between listing and reading: its time is lost, a few microseconds
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      var os = ManagementFactory.getOperatingSystemMXBean();
      return os instanceof com.sun.management.OperatingSystemMXBean sun
          ? sun.getProcessCpuTime()
          : -1;
    }
  }

  private static String cpuColumn(long nanos) {
    return String.format(Locale.ROOT, ",%.6f", nanos < 0 ? Double.NaN : nanos / 1e9);
  }

  /** Warm-up bookkeeping; only rank 0's decides. */
  private static final class Warmup {
    private final long budgetNanos;
    private final long start = System.nanoTime();
    int runs;
    long nanos;
    private boolean stopped;

    Warmup(double seconds) {
      this.budgetNanos = (long) (seconds * 1e9);
    }

    /** Whether another warm-up run follows: true until the budget is spent, then false for good. */
    boolean more() {
      stopped |= runs > 0 && System.nanoTime() - start >= budgetNanos;
      return !stopped;
    }

    void done(long runNanos) {
      runs++;
      nanos += runNanos;
    }
  }

  /**
   * Passes rank 0's warm-up decision (1 = another warm-up run, 2 = time the next runs) around the
   * ring; returns it.
   */
  private static int token(int rank, InputStream is, OutputStream os, Warmup warmup)
      throws IOException {
    int t;
    if (rank == 0) {
      os.write(warmup.more() ? 1 : 2);
      os.flush();
      t = is.read();
    } else {
      t = is.read();
      os.write(t);
      os.flush();
    }
    if (t != 1 && t != 2) {
      throw new IOException("ring token broken: " + t);
    }
    return t;
  }

  /** Name of raw TCP's per-run sending thread: its CPU time is counted by {@link #SENDERS_CPU}. */
  private static final String SENDER_NAME = "raw-tcp-sender";

  /**
   * CPU time of raw TCP's finished sending threads, each adding its own as it ends: a thread that
   * starts and ends inside a timed run never shows in the per-thread sum ({@link
   * #processCpuNanos}). One thread per run, as the raw baseline has always been measured.
   */
  private static final AtomicLong SENDERS_CPU = new AtomicLong();

  /** Sends {@code bytes} to the right while receiving as many from the left. */
  private static void ringTransfer(InputStream is, OutputStream os, long bytes)
      throws IOException, InterruptedException {
    byte[] block = BLOCK;
    IOException[] failed = new IOException[1];
    Thread sender =
        new Thread(
            () -> {
              try {
                for (long left = bytes; left > 0; left -= block.length) {
                  os.write(block, 0, (int) Math.min(block.length, left));
                }
                os.flush();
              } catch (IOException e) {
                failed[0] = e;
              } finally {
                SENDERS_CPU.addAndGet(
                    ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
              }
            },
            SENDER_NAME);
    sender.start();
    DataInputStream din = new DataInputStream(is);
    for (long left = bytes; left > 0; left -= SINK.length) {
      din.readFully(SINK, 0, (int) Math.min(SINK.length, left));
    }
    sender.join();
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  private static Socket connect(int port) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        s.setTcpNoDelay(true);
        return s;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("rank could not reach 127.0.0.1:" + port, e);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * mode,size_bytes,rep,seconds,bus_gbps where bus bandwidth = size * 2(N-1)/N / time; callers
   * append the cpu_s column (rank 0's process CPU seconds during the run; NaN for the cold run).
   */
  private static String row(String mode, long size, int rep, double seconds, int n) {
    double bus = size * 2.0 * (n - 1) / n / seconds / 1e9;
    return String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.4f", mode, size, rep, seconds, bus);
  }
}
