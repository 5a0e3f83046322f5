package dev.weft.server;

import dev.weft.protos.v1.FinishReason;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.Usage;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * One Generate call's outgoing side, with gRPC flow control: tokens are sent only while the
 * transport is ready; while it is not (a slow reader), tokens and text pile up here and leave as
 * one message at the next onReady. The serving loop therefore never blocks on a client, and what a
 * slow client costs is bounded by its max tokens. Called from the loop thread and from gRPC's
 * onReady callbacks, hence synchronized.
 */
final class ResponseSink {

  private final ServerCallStreamObserver<GenerateResponse> call;
  private final String requestId;
  private final List<Integer> pendingIds = new ArrayList<>();
  private final StringBuilder pendingText = new StringBuilder();
  private GenerateResponse.Builder last;
  private boolean closed;

  ResponseSink(ServerCallStreamObserver<GenerateResponse> call, String requestId) {
    this.call = call;
    this.requestId = requestId;
  }

  /** Registers the onReady callback; call before the gRPC handler returns. */
  void listen() {
    call.setOnReadyHandler(this::drain);
  }

  synchronized void emit(List<Integer> ids, String text) {
    pendingIds.addAll(ids);
    pendingText.append(text);
    drain();
  }

  /** Sends what is pending plus the finish reason and usage, then completes the call. */
  synchronized void finish(FinishReason reason, Usage usage) {
    last = GenerateResponse.newBuilder().setFinishReason(reason).setUsage(usage);
    drain();
  }

  /** Ends the call with {@code status}; pending tokens are dropped. */
  synchronized void fail(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    if (!call.isCancelled()) {
      call.onError(status.asRuntimeException());
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized void drain() {
    if (closed) {
      return;
    }
    if (call.isCancelled()) {
      closed = true;
      return;
    }
    if (!call.isReady()) {
      return;
    }
    boolean hasPending = !pendingIds.isEmpty() || pendingText.length() > 0;
    if (last == null && !hasPending) {
      return;
    }
    GenerateResponse.Builder message = last != null ? last : GenerateResponse.newBuilder();
    message.setRequestId(requestId).addAllTokenIds(pendingIds).setText(pendingText.toString());
    pendingIds.clear();
    pendingText.setLength(0);
    call.onNext(message.build());
    if (last != null) {
      closed = true;
      call.onCompleted();
    }
  }
}
