package dev.weft.server;

import dev.weft.engine.tokenizer.Tokenizer;
import dev.weft.protos.v1.FinishReason;
import dev.weft.protos.v1.Usage;
import dev.weft.scheduler.Request;
import dev.weft.scheduler.RequestStats;
import dev.weft.scheduler.ServingEvent;
import java.util.List;

/**
 * One admitted request on the serving loop's thread: turns its tokens into text (whole UTF-8
 * characters, stop strings cut out) and hands them to its {@link ResponseSink}; turns its terminal
 * event into the last message or a status.
 */
final class GenerationStream {

  final Request request;
  final ResponseSink sink;
  private final Tokenizer tokenizer;
  private final Utf8Assembler utf8 = new Utf8Assembler();
  private final StopStringMatcher stops;
  private final ServerMetrics metrics;
  private int previous;
  private long arrivalNanos;
  private long lastTokenNanos = -1;
  private boolean stopStringFound;
  private String abortedBy;

  GenerationStream(
      Request request,
      List<String> stopStrings,
      Tokenizer tokenizer,
      ResponseSink sink,
      ServerMetrics metrics) {
    this.request = request;
    this.sink = sink;
    this.tokenizer = tokenizer;
    this.stops = new StopStringMatcher(stopStrings);
    this.metrics = metrics;
    this.previous = request.promptTokens().get(request.promptTokens().size() - 1);
  }

  String id() {
    return request.id();
  }

  /** The loop clock's time at submission, for time to first token. */
  void admittedAt(long nanos) {
    arrivalNanos = nanos;
  }

  /** Notes who asked for the abort, for the message the client gets. */
  void abortRequestedBy(String who) {
    if (abortedBy == null) {
      abortedBy = who;
    }
  }

  /**
   * Streams one token.
   *
   * @return whether a stop string was found, so the loop must abort the request (its final message
   *     goes out when the abort is confirmed, with the usage the loop reports)
   */
  boolean onToken(ServingEvent.TokenProduced token) {
    if (stopStringFound) {
      return false;
    }
    long now = token.timeNanos();
    if (lastTokenNanos < 0) {
      metrics.firstToken((now - arrivalNanos) / 1e9);
    } else {
      metrics.interToken((now - lastTokenNanos) / 1e9);
    }
    lastTokenNanos = now;
    metrics.generatedToken();
    String text = utf8.push(tokenizer.decodePiece(previous, token.token()));
    previous = token.token();
    StopStringMatcher.Result released = stops.push(text);
    sink.emit(List.of(token.token()), released.text());
    stopStringFound = released.stopped();
    return stopStringFound;
  }

  void onFinished(ServingEvent.Finished finished) {
    if (stopStringFound) { // found on the very token that also ended the request
      end(FinishReason.FINISH_REASON_STOP_STRING, finished.stats(), "stop_string");
      return;
    }
    String tail = stops.push(utf8.flush()).text() + stops.flush();
    if (!tail.isEmpty()) {
      sink.emit(List.of(), tail);
    }
    FinishReason reason =
        switch (finished.reason()) {
          case STOP -> FinishReason.FINISH_REASON_STOP;
          case MAX_TOKENS -> FinishReason.FINISH_REASON_LENGTH;
          case CONTEXT_LENGTH -> FinishReason.FINISH_REASON_CONTEXT_LENGTH;
        };
    end(reason, finished.stats(), finished.reason().name().toLowerCase(java.util.Locale.ROOT));
  }

  void onAborted(ServingEvent.Aborted aborted) {
    if (stopStringFound) {
      end(FinishReason.FINISH_REASON_STOP_STRING, aborted.stats(), "stop_string");
      return;
    }
    metrics.requestEnded(
        aborted.stats(), aborted.reason().name().toLowerCase(java.util.Locale.ROOT));
    int produced = aborted.outputTokens().size();
    String message =
        switch (aborted.reason()) {
          case CANCELLED ->
              "request "
                  + id()
                  + " was cancelled"
                  + (abortedBy != null ? " by " + abortedBy : "")
                  + " after "
                  + produced
                  + " tokens";
          case DEADLINE ->
              "request "
                  + id()
                  + " passed its deadline after "
                  + produced
                  + " tokens; its KV blocks were freed at once (raise the deadline or lower"
                  + " max_tokens)";
          case RUNNER_ERROR -> "request " + id() + ": " + aborted.message();
        };
    sink.fail(ErrorStatus.of(new RequestAbortedException(aborted.reason(), message)));
  }

  /** The server is going away: ends the stream with UNAVAILABLE. */
  void onShutdown(String why) {
    sink.fail(ErrorStatus.of(new ServerUnavailableException(why)));
  }

  private void end(FinishReason reason, RequestStats stats, String outcome) {
    metrics.requestEnded(stats, outcome);
    sink.finish(reason, usage(stats));
  }

  static Usage usage(RequestStats stats) {
    Usage.Builder usage =
        Usage.newBuilder()
            .setPromptTokens(stats.promptTokens())
            .setCompletionTokens(stats.outputTokens())
            .setCachedPromptTokens(stats.prefixHitTokens())
            .setE2ESeconds(seconds(stats.endNanos() - stats.arrivalNanos()))
            .setPreemptions(stats.preemptions());
    if (stats.firstScheduledNanos() >= 0) {
      usage.setQueueSeconds(seconds(stats.firstScheduledNanos() - stats.arrivalNanos()));
    }
    if (stats.firstTokenNanos() >= 0) {
      usage.setTimeToFirstTokenSeconds(seconds(stats.firstTokenNanos() - stats.arrivalNanos()));
    }
    return usage.build();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
