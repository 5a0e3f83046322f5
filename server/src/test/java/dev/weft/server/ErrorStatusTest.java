package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.AbortReason;
import dev.weft.scheduler.RejectionReason;
import io.grpc.Status;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Every typed error has its status; nothing maps to UNKNOWN. */
class ErrorStatusTest {

  @Test
  void rejectionsMapToWhatTheClientShouldDo() {
    assertThat(code(new RequestRejectedException(RejectionReason.QUEUE_FULL, "full")))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(
            ErrorStatus.of(new RequestRejectedException(RejectionReason.QUEUE_FULL, "full"))
                .getDescription())
        .contains("retry later");
    assertThat(code(new RequestRejectedException(RejectionReason.PROMPT_TOO_LONG, "x")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(new RequestRejectedException(RejectionReason.NEVER_FITS, "x")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(new RequestRejectedException(RejectionReason.DUPLICATE_ID, "x")))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void abortsAndStatesMapToTheirCodes() {
    assertThat(code(new RequestAbortedException(AbortReason.CANCELLED, "x")))
        .isEqualTo(Status.Code.CANCELLED);
    assertThat(code(new RequestAbortedException(AbortReason.DEADLINE, "x")))
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(ErrorStatus.of(new RequestAbortedException(AbortReason.RUNNER_ERROR, "boom")))
        .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.INTERNAL))
        .satisfies(s -> assertThat(s.getDescription()).contains("boom", "only this request"));
    assertThat(code(new InvalidRequestException("x"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(new ServerUnavailableException("x"))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(new UnknownRequestException("x"))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void nothingMapsToUnknown() {
    for (RejectionReason r : EnumSet.allOf(RejectionReason.class)) {
      assertThat(code(new RequestRejectedException(r, "x"))).isNotEqualTo(Status.Code.UNKNOWN);
    }
    for (AbortReason r : EnumSet.allOf(AbortReason.class)) {
      assertThat(code(new RequestAbortedException(r, "x"))).isNotEqualTo(Status.Code.UNKNOWN);
    }
    Status bug = ErrorStatus.of(new NullPointerException("oops"));
    assertThat(bug.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(bug.getDescription()).contains("internal error in Weft", "oops");
  }

  private static Status.Code code(Throwable t) {
    return ErrorStatus.of(t).getCode();
  }
}
