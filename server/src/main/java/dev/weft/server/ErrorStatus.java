package dev.weft.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The one place where Weft's typed errors become gRPC statuses. Every failure a client sees passes
 * through here, so none reaches it as UNKNOWN: an unexpected exception is INTERNAL and says so.
 */
public final class ErrorStatus {

  private ErrorStatus() {}

  /** The status for {@code error}, with a message a person can act on. */
  public static Status of(Throwable error) {
    if (error instanceof StatusRuntimeException s) {
      return s.getStatus();
    }
    if (error instanceof RequestRejectedException r) {
      return switch (r.reason()) {
        case QUEUE_FULL ->
            Status.RESOURCE_EXHAUSTED.withDescription(
                r.getMessage() + "; the server is at capacity, retry later with backoff");
        case PROMPT_TOO_LONG, NEVER_FITS -> Status.INVALID_ARGUMENT.withDescription(r.getMessage());
        case DUPLICATE_ID ->
            Status.ALREADY_EXISTS.withDescription(
                r.getMessage() + "; use a unique request_id or leave it empty");
      };
    }
    if (error instanceof RequestAbortedException a) {
      return switch (a.reason()) {
        case CANCELLED -> Status.CANCELLED.withDescription(a.getMessage());
        case DEADLINE -> Status.DEADLINE_EXCEEDED.withDescription(a.getMessage());
        case RUNNER_ERROR ->
            Status.INTERNAL.withDescription(
                a.getMessage() + " (only this request failed; others were not affected)");
      };
    }
    if (error instanceof InvalidRequestException || error instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(error.getMessage());
    }
    if (error instanceof ServerUnavailableException) {
      return Status.UNAVAILABLE.withDescription(error.getMessage());
    }
    if (error instanceof UnknownRequestException) {
      return Status.NOT_FOUND.withDescription(error.getMessage());
    }
    return Status.INTERNAL
        .withDescription("internal error in Weft (a bug; please report it): " + error)
        .withCause(error);
  }

  public static StatusRuntimeException exception(Throwable error) {
    return of(error).asRuntimeException();
  }
}
