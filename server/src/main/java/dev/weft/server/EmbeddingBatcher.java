package dev.weft.server;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for Embed: requests queue (bounded: a full queue is RESOURCE_EXHAUSTED, the same
 * admission rule as Generate's waiting queue); one thread takes the oldest, waits up to the delay
 * for more to fill a batch of up to {@code maxBatchTexts} texts, runs the model once, and hands
 * each request its vectors. A failed run fails its batch's requests only.
 */
final class EmbeddingBatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBatcher.class);

  private record Job(
      List<String> texts, long arrivalNanos, CompletableFuture<SentenceEmbedder.Result> done) {}

  private final SentenceEmbedder model;
  private final EmbeddingOptions options;
  private final ServerMetrics metrics;
  private final BlockingQueue<Job> queue;
  private final Thread thread;
  private volatile boolean closing;
  private Job carried;

  EmbeddingBatcher(SentenceEmbedder model, EmbeddingOptions options, ServerMetrics metrics) {
    this.model = model;
    this.options = options;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(options.maxQueuedRequests());
    // Model runs happen on this thread: give it the stack ONNX Runtime needs.
    this.thread =
        new Thread(null, this::loop, "weft-embedding-batcher", SentenceEmbedder.ORT_STACK_BYTES);
    thread.setDaemon(true);
    thread.start();
  }

  SentenceEmbedder model() {
    return model;
  }

  /** Queues {@code texts}; the future completes with their vectors in order. */
  CompletableFuture<SentenceEmbedder.Result> submit(List<String> texts) {
    if (texts.isEmpty()) {
      throw new InvalidRequestException("Embed needs at least one text");
    }
    if (texts.size() > options.maxTextsPerRequest()) {
      throw new InvalidRequestException(
          texts.size()
              + " texts in one Embed request; at most "
              + options.maxTextsPerRequest()
              + " are accepted");
    }
    Job job = new Job(List.copyOf(texts), System.nanoTime(), new CompletableFuture<>());
    if (closing || !queue.offer(job)) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              closing
                  ? "the embedding queue is closed for shutdown"
                  : "the embedding queue is full ("
                      + options.maxQueuedRequests()
                      + " requests); retry later with backoff")
          .asRuntimeException();
    }
    return job.done();
  }

  private void loop() {
    while (!(closing && queue.isEmpty() && carried == null)) {
      List<Job> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (!batch.isEmpty()) {
        run(batch);
      }
    }
  }

  private List<Job> nextBatch() throws InterruptedException {
    List<Job> batch = new ArrayList<>();
    Job first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
    carried = null;
    if (first == null) {
      return batch;
    }
    batch.add(first);
    int texts = first.texts().size();
    long deadline = System.nanoTime() + options.maxDelay().toNanos();
    while (texts < options.maxBatchTexts()) {
      Job next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      if (texts + next.texts().size() > options.maxBatchTexts()) {
        carried = next; // first in the next batch, so order is kept
        break;
      }
      batch.add(next);
      texts += next.texts().size();
    }
    return batch;
  }

  /** Runs the batch's texts in model runs of at most maxBatchTexts and completes its jobs. */
  private void run(List<Job> batch) {
    List<String> texts = new ArrayList<>();
    batch.forEach(j -> texts.addAll(j.texts()));
    List<SentenceEmbedder.Result> runs = new ArrayList<>();
    try {
      for (int from = 0; from < texts.size(); from += options.maxBatchTexts()) {
        int to = Math.min(texts.size(), from + options.maxBatchTexts());
        long t0 = System.nanoTime();
        SentenceEmbedder.Result r = model.embed(texts.subList(from, to));
        metrics.embeddingBatch(to - from, r.totalTokens(), (System.nanoTime() - t0) / 1e9);
        runs.add(r);
      }
    } catch (RuntimeException e) {
      LOG.error("embedding batch of {} texts failed: {}", texts.size(), e.getMessage());
      for (Job j : batch) {
        metrics.embeddingEnded(System.nanoTime() - j.arrivalNanos(), "error");
        j.done().completeExceptionally(e);
      }
      return;
    }
    SentenceEmbedder.Result all = concat(runs);
    int at = 0;
    for (Job j : batch) {
      int n = j.texts().size();
      metrics.embeddingEnded(System.nanoTime() - j.arrivalNanos(), "ok");
      j.done().complete(all.slice(at, at + n));
      at += n;
    }
  }

  private static SentenceEmbedder.Result concat(List<SentenceEmbedder.Result> runs) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    int n = runs.stream().mapToInt(r -> r.vectors().length).sum();
    float[][] vectors = new float[n][];
    int[] tokens = new int[n];
    boolean[] truncated = new boolean[n];
    int at = 0;
    for (SentenceEmbedder.Result r : runs) {
      int k = r.vectors().length;
      System.arraycopy(r.vectors(), 0, vectors, at, k);
      System.arraycopy(r.tokens(), 0, tokens, at, k);
      System.arraycopy(r.truncated(), 0, truncated, at, k);
      at += k;
    }
    return new SentenceEmbedder.Result(vectors, tokens, truncated);
  }

  /** Stops taking requests, finishes the queued ones, stops the thread. */
  @Override
  public void close() throws InterruptedException {
    closing = true; // the loop polls at most 50 ms at a time: it sees this, drains, and ends
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }
}
