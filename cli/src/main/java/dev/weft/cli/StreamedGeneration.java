package dev.weft.cli;

import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import io.grpc.Channel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Streams one Generate call's text to a stream as it arrives; what {@code client} and {@code demo}
 * print. A failed call throws the gRPC {@code StatusRuntimeException}.
 *
 * @param tokens tokens received
 * @param last the final message (finish reason, usage)
 * @param firstTokenNanos client-side time from the call to the first token
 * @param totalNanos client-side time of the whole call
 */
record StreamedGeneration(
    int tokens, GenerateResponse last, long firstTokenNanos, long totalNanos) {

  static StreamedGeneration stream(
      Channel channel, GenerateRequest request, Duration timeout, PrintStream out) {
    long start = System.nanoTime();
    long first = -1;
    int tokens = 0;
    GenerateResponse last = null;
    Iterator<GenerateResponse> responses =
        InferenceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .generate(request);
    while (responses.hasNext()) {
      GenerateResponse response = responses.next();
      if (first < 0 && response.getTokenIdsCount() > 0) {
        first = System.nanoTime() - start;
      }
      tokens += response.getTokenIdsCount();
      byte[] text = response.getText().getBytes(StandardCharsets.UTF_8);
      out.write(text, 0, text.length);
      out.flush();
      last = response;
    }
    return new StreamedGeneration(tokens, last, first, System.nanoTime() - start);
  }

  /** One line: tokens, rate, TTFT, finish reason, cached prompt tokens. */
  String summary() {
    double seconds = totalNanos / 1e9;
    return String.format(
        Locale.ROOT,
        "%d tokens in %.2f s (%.1f tokens/s); first token after %.1f ms; finish: %s;"
            + " prompt %d tokens (%d from the prefix cache)",
        tokens,
        seconds,
        tokens / Math.max(seconds, 1e-9),
        firstTokenNanos / 1e6,
        last.getFinishReason().name().replace("FINISH_REASON_", "").toLowerCase(Locale.ROOT),
        last.getUsage().getPromptTokens(),
        last.getUsage().getCachedPromptTokens());
  }
}
