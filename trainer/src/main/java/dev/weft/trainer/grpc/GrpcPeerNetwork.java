package dev.weft.trainer.grpc;

import dev.weft.protos.v1.HelloReply;
import dev.weft.protos.v1.HelloRequest;
import dev.weft.protos.v1.TrainerPeerGrpc;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.InPlaceReceives;
import dev.weft.trainer.comm.Mailbox;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.ModelMismatchException;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.comm.PeerUnreachableException;
import dev.weft.trainer.comm.TrainingException;
import dev.weft.trainer.model.ParameterShapes;
import io.grpc.CallOptions;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link PeerNetwork} over gRPC: every process runs a {@code TrainerPeer} server; a send streams
 * the tensor in chunks over one long-lived {@code Exchange} stream per destination, with
 * isReady()/onReady flow control so a slow receiver slows the sender instead of filling memory.
 */
public final class GrpcPeerNetwork implements PeerNetwork {

  /**
   * Transport chunk: 256 KiB of float32 values per gRPC message. Small enough that its buffers stay
   * below G1's humongous-object size (half a region) at the heaps workers run with, large enough
   * that per-message overhead is small.
   */
  static final int CHUNK_ELEMENTS = 1 << 16;

  /**
   * JVM option for the processes Weft starts to move tensors over this network: no Netty buffer
   * leak sampling. At Netty's default level one buffer in 128 records a stack trace when it is
   * allocated and released; with a buffer per 16 KiB HTTP/2 frame that was ~2.4% of all CPU of a
   * 100 MB all-reduce on 4 JVMs (perf; benchmarks/results/trainer/exchange.md, eighth pass).
   * Launchers put it before the user's JVM options, so where those can be given ({@code weft train
   * bench --jvm-opt}) {@code -Dio.grpc.netty.shaded.io.netty.leakDetection.level=simple} turns
   * sampling back on; the test suite runs with Netty's default, so leaks are still reported there.
   */
  public static final String NO_LEAK_SAMPLING =
      "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled";

  /** gRPC's per-stream flow-control window; larger than the default 1 MiB for throughput. */
  private static final int WINDOW_BYTES = 8 << 20;

  private static final int MAX_MESSAGE_BYTES = 16 << 20;

  /**
   * Parallel connections per peer: one per 4 processors, 1 to 4. One HTTP/2 connection is handled
   * by one event-loop thread at each end, which capped a single connection near 1 GB/s of protobuf
   * chunks on a 16-core machine, so collectives spread their chunks over lanes (see {@link #lane})
   * to use more cores. Where cores are few, every extra lane is one more pair of threads waking for
   * a share of them: with 4 worker JVMs on 2 cores, one lane moved a 100 MB all-reduce ~20% faster
   * than four (benchmarks/results/trainer/exchange.md, sixth pass). Each sender picks its own
   * lanes; a receiver takes any number.
   */
  public static final int LANES = lanesFor(Runtime.getRuntime().availableProcessors());

  static int lanesFor(int processors) {
    return Math.max(1, Math.min(4, processors / 4));
  }

  /**
   * A stream stays "ready" until this much is queued (gRPC's default is 32 KiB). With the default,
   * every 256 KiB chunk had to reach the socket before the next could be queued, so a sender
   * stalled on each chunk instead of keeping the link busy; a few MiB keeps the pipe full while
   * still bounding memory per stream.
   */
  private static final int READY_THRESHOLD_BYTES = 4 << 20;

  /**
   * Netty buffers for every peer connection of this process: gRPC's own pool with 16 MiB instead of
   * gRPC's 2 MiB arena chunks. Each chunk message is framed into one ~256 KiB direct buffer and
   * several MiB are in flight per stream, so 2 MiB chunks kept emptying, being freed and being
   * re-created; every re-creation zeroed fresh direct memory and faulted its pages in (about 10% of
   * the CPU of a 100 MB all-reduce on 4 JVMs, in perf). Larger chunks rarely empty completely. At
   * most 4 direct arenas (64 MiB once all are in use; the default is 2 per core, which would be 512
   * MiB on 16 cores); no heap arenas, since nothing on this path asks for heap buffers.
   */
  private static final ByteBufAllocator BUFFERS =
      new PooledByteBufAllocator(
          true,
          0,
          Math.min(4, PooledByteBufAllocator.defaultNumDirectArena()),
          PooledByteBufAllocator.defaultPageSize(),
          11,
          PooledByteBufAllocator.defaultSmallCacheSize(),
          PooledByteBufAllocator.defaultNormalCacheSize(),
          PooledByteBufAllocator.defaultUseCacheForAllThreads());

  private final String runId;
  private final PeerTls tls;
  private final int rank;
  private final List<PeerAddress> peers;
  private final ParameterShapes shapes;
  private final Duration sendTimeout;
  private final Clock clock;
  private final Mailbox mailbox;
  private final ReceiveArrays arrays = new ReceiveArrays();
  private final Placements placements;
  private final Server server;

  /** Per peer: lane 0's channel (also used for the handshake), then the other lanes'. */
  private final List<ManagedChannel[]> channels = new ArrayList<>();

  private final List<Outbound[]> outbound = new ArrayList<>();
  private final AtomicLong bytesSent = new AtomicLong();

  private GrpcPeerNetwork(
      String runId,
      int rank,
      List<PeerAddress> peers,
      ParameterShapes shapes,
      Duration sendTimeout,
      Clock clock,
      PeerTls tls)
      throws IOException {
    this.tls = tls;
    if (rank < 0 || rank >= peers.size()) {
      throw new IllegalArgumentException("rank " + rank + " outside " + peers.size() + " peers");
    }
    this.runId = runId;
    this.rank = rank;
    this.peers = List.copyOf(peers);
    this.shapes = shapes;
    this.sendTimeout = sendTimeout;
    this.clock = clock;
    this.mailbox = new Mailbox(rank);
    this.placements = new Placements(runId);
    PeerService service = new PeerService(runId, rank, shapes, mailbox, arrays, placements);
    PeerAddress me = peers.get(rank);
    if (me.isInProcess()) {
      server =
          InProcessServerBuilder.forName(me.inProcessName())
              .directExecutor()
              .addService(service.definition())
              .build();
    } else {
      // Bind where the address says when it is loopback (tests, one machine); otherwise on all
      // interfaces, since a pod's DNS name resolves to an address we may not own by that name.
      InetSocketAddress bind =
          isLoopback(me.host())
              ? new InetSocketAddress(me.host(), me.port())
              : new InetSocketAddress(me.port());
      server =
          NettyServerBuilder.forAddress(
                  bind,
                  CompositeCumulation.server(
                      tls == null ? InsecureServerCredentials.create() : tls.serverCredentials()))
              // Handlers only copy a chunk into memory and signal: safe, and saves a thread hop
              // per chunk.
              .directExecutor()
              .addService(service.definition())
              .flowControlWindow(WINDOW_BYTES)
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              .withChildOption(ChannelOption.ALLOCATOR, BUFFERS)
              .build();
    }
    try {
      server.start();
    } catch (IOException e) {
      throw new IOException("rank " + rank + " cannot listen on " + me + ": " + e.getMessage(), e);
    }
    for (int r = 0; r < peers.size(); r++) {
      if (r == rank) {
        channels.add(null);
        outbound.add(null);
        continue;
      }
      PeerAddress a = peers.get(r);
      ManagedChannel[] lanes = new ManagedChannel[LANES];
      Outbound[] outs = new Outbound[LANES];
      for (int lane = 0; lane < LANES; lane++) {
        lanes[lane] = channel(a);
        outs[lane] =
            new Outbound(
                runId,
                rank,
                r,
                a,
                lanes[lane],
                CallOptions.DEFAULT.withOnReadyThreshold(READY_THRESHOLD_BYTES),
                bytesSent);
      }
      channels.add(lanes);
      outbound.add(outs);
    }
  }

  /** One channel is one connection, served by one event-loop thread at each end. */
  private ManagedChannel channel(PeerAddress a) {
    return a.isInProcess()
        ? InProcessChannelBuilder.forName(a.inProcessName()).directExecutor().disableRetry().build()
        : NettyChannelBuilder.forAddress(
                a.host(),
                a.port(),
                CompositeCumulation.channel(
                    tls == null ? InsecureChannelCredentials.create() : tls.channelCredentials()))
            .directExecutor()
            // A replayed chunk would be re-read from an array its sender has since reused
            // (ChunkCodec refers to it); a broken Exchange stream fails the collective instead.
            .disableRetry()
            .flowControlWindow(WINDOW_BYTES)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .withOption(ChannelOption.ALLOCATOR, BUFFERS)
            .build();
  }

  /**
   * The lane a tag travels on: {@code #k} at its end picks lane {@code k mod LANES}, anything else
   * lane 0. One tag always uses one lane, which keeps messages of a tag in order.
   */
  static int lane(String tag) {
    int hash = tag.lastIndexOf('#');
    if (hash < 0 || hash == tag.length() - 1) {
      return 0;
    }
    int k = 0;
    for (int i = hash + 1; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      k = (k * 10 + (c - '0')) % LANES;
    }
    return k;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  /**
   * Starts this rank's peer server and handshakes with every other peer, retrying until each
   * answers or {@code connectTimeout} passes.
   *
   * @param shapes this process's model signature, or null for a process without a model (a
   *     parameter server)
   * @throws PeerUnreachableException naming the peer that never answered
   * @throws ModelMismatchException when a peer's model has different parameter shapes
   */
  public static GrpcPeerNetwork start(
      String runId,
      int rank,
      List<PeerAddress> peers,
      ParameterShapes shapes,
      Duration connectTimeout,
      Duration sendTimeout,
      Clock clock)
      throws IOException {
    return start(runId, rank, peers, shapes, connectTimeout, sendTimeout, clock, null);
  }

  /**
   * As {@link #start(String, int, List, ParameterShapes, Duration, Duration, Clock)}, with mutual
   * TLS between the peers when {@code tls} is not null (TCP peers only).
   */
  public static GrpcPeerNetwork start(
      String runId,
      int rank,
      List<PeerAddress> peers,
      ParameterShapes shapes,
      Duration connectTimeout,
      Duration sendTimeout,
      Clock clock,
      PeerTls tls)
      throws IOException {
    GrpcPeerNetwork net = new GrpcPeerNetwork(runId, rank, peers, shapes, sendTimeout, clock, tls);
    try {
      net.handshake(connectTimeout);
      return net;
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  private void handshake(Duration connectTimeout) {
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    HelloRequest hello =
        HelloRequest.newBuilder()
            .setRunId(runId)
            .setRank(rank)
            .addAllParameterShapes(Wire.shapes(shapes))
            .build();
    for (int r = 0; r < peers.size(); r++) {
      if (r == rank) {
        continue;
      }
      StatusRuntimeException last = null;
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new PeerUnreachableException(
              "peer rank "
                  + r
                  + " at "
                  + peers.get(r)
                  + " unreachable from rank "
                  + rank
                  + " after "
                  + connectTimeout.toSeconds()
                  + " s"
                  + (last == null ? "" : ": " + describe(last.getStatus())));
        }
        try {
          HelloReply reply =
              TrainerPeerGrpc.newBlockingStub(channels.get(r)[0])
                  .withDeadlineAfter(
                      Math.min(left, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS)
                  .hello(hello);
          checkShapes(r, Wire.shapes(reply.getParameterShapesList()));
          break;
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
            String d = e.getStatus().getDescription();
            throw d != null && d.startsWith("model mismatch")
                ? new ModelMismatchException(d)
                : new TrainingException("peer rank " + r + " refused rank " + rank + ": " + d);
          }
          last = e;
          sleepQuietly(200);
          // Peers start in any order; without this the channel's exponential reconnect backoff
          // (up to minutes) would delay the run long after the peer came up.
          channels.get(r)[0].resetConnectBackoff();
        }
      }
    }
  }

  /** A status in one short line: its code and the root cause's message. */
  static String describe(Status st) {
    Throwable c = st.getCause();
    while (c != null && c.getCause() != null) {
      c = c.getCause();
    }
    String why = c != null ? c.getMessage() : st.getDescription();
    return st.getCode() + (why == null ? "" : " (" + why + ")");
  }

  private void checkShapes(int peer, ParameterShapes theirs) {
    if (shapes != null && !theirs.dims().isEmpty() && !shapes.sameShapes(theirs)) {
      throw new ModelMismatchException(
          "model mismatch: rank "
              + peer
              + " has parameters "
              + theirs.describe()
              + " but rank "
              + rank
              + " has "
              + shapes.describe());
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrainingException("interrupted while connecting to peers", e);
    }
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return peers.size();
  }

  @Override
  public void send(int to, String tag, long seq, float[] data, int offset, int length) {
    if (to < 0 || to >= peers.size() || to == rank) {
      throw new IllegalArgumentException("rank " + rank + " cannot send to " + to);
    }
    outbound.get(to)[lane(tag)].send(tag, seq, data, offset, length, sendTimeout);
  }

  @Override
  public Message receive(int from, String tag, Duration timeout) {
    return mailbox.take(from, tag, timeout);
  }

  @Override
  public Message receiveAny(String tag, Duration timeout) {
    return mailbox.take(-1, tag, timeout);
  }

  /**
   * Announced whole-message chunks are added or copied into {@code dest} by the event loop as it
   * parses them, straight from the network buffers (see {@link Placements}).
   */
  @Override
  public InPlaceReceives inPlace(int from, float[] dest) {
    return new GrpcInPlace(mailbox, arrays, placements, from, dest);
  }

  /** For tests: the in-place registry. */
  Placements placements() {
    return placements;
  }

  /** Received chunks' arrays are parsed into again (see {@link ReceiveArrays}). */
  @Override
  public void recycle(Message m) {
    arrays.give(m.data());
  }

  @Override
  public long bytesSent() {
    return bytesSent.get();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /** Where this rank listens. */
  public PeerAddress address() {
    return peers.get(rank);
  }

  @Override
  public void close() {
    for (Outbound[] os : outbound) {
      for (int i = 0; os != null && i < os.length; i++) {
        os[i].close();
      }
    }
    for (ManagedChannel[] chs : channels) {
      for (int i = 0; chs != null && i < chs.length; i++) {
        chs[i].shutdown();
      }
    }
    server.shutdown();
    try {
      for (ManagedChannel[] chs : channels) {
        for (int i = 0; chs != null && i < chs.length; i++) {
          if (!chs[i].awaitTermination(5, TimeUnit.SECONDS)) {
            chs[i].shutdownNow();
          }
        }
      }
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    mailbox.fail(new TrainingException("rank " + rank + " closed its network"));
  }
}
