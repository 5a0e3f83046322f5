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

/**
 * A benchmark process: {@code BenchWorkerMain CONFIG.json}. In {@code grpc} mode it times {@link
 * RingAllReduce} over the gRPC peer service; in {@code tcp} mode it moves the same bytes per link
 * (2(N-1)/N of the buffer) over plain loopback sockets in the same ring, all links busy at once:
 * the raw transport's ceiling under the identical traffic pattern.
 */
public final class BenchWorkerMain {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

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
      int call = 0;
      // Warm the JIT on the whole path before timing anything (the first size would pay it).
      float[] warm = new float[10_000_000 / 4];
      for (int i = 0; i < 5; i++) {
        RingAllReduce.sum(net, all, "warm/" + i, warm, c.chunkElements(), TIMEOUT);
      }
      for (long size : c.sizesBytes()) {
        float[] buf = new float[(int) (size / 4)];
        for (int rep = -1; rep < c.reps(); rep++) {
          // A one-value all-reduce lines everyone up so each timing starts together.
          RingAllReduce.sum(net, all, "sync/" + call, new float[] {1}, 1, TIMEOUT);
          long t0 = System.nanoTime();
          RingAllReduce.sum(net, all, "ar/" + call++, buf, c.chunkElements(), TIMEOUT);
          long t1 = System.nanoTime();
          if (rep >= 0) {
            rows.add(row("grpc-allreduce", size, rep, (t1 - t0) / 1e9, n));
          }
        }
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
        byte[] block = new byte[1 << 20];
        for (long size : c.sizesBytes()) {
          long perLink = size / 4 / n * 4 * 2 * (n - 1);
          for (int rep = -1; rep < c.reps(); rep++) {
            // Token around the ring as a barrier.
            os.write(1);
            os.flush();
            if (is.read() != 1) {
              throw new IOException("ring barrier broken");
            }
            long t0 = System.nanoTime();
            Thread sender =
                new Thread(
                    () -> {
                      try {
                        for (long left = perLink; left > 0; left -= block.length) {
                          os.write(block, 0, (int) Math.min(block.length, left));
                        }
                        os.flush();
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    });
            sender.start();
            byte[] sink = new byte[1 << 20];
            DataInputStream din = new DataInputStream(is);
            for (long left = perLink; left > 0; left -= sink.length) {
              din.readFully(sink, 0, (int) Math.min(sink.length, left));
            }
            sender.join();
            long t1 = System.nanoTime();
            if (rep >= 0) {
              rows.add(row("tcp-ring", size, rep, (t1 - t0) / 1e9, n));
            }
          }
        }
      }
    }
    return rows;
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

  /** mode,size_bytes,rep,seconds,bus_gbps where bus bandwidth = size * 2(N-1)/N / time. */
  private static String row(String mode, long size, int rep, double seconds, int n) {
    double bus = size * 2.0 * (n - 1) / n / seconds / 1e9;
    return String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.4f", mode, size, rep, seconds, bus);
  }
}
