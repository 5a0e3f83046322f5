package dev.weft.scheduler;

import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.testing.FakeRunner;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Typed rejections at submission, and how a request ends on its own. */
class AdmissionTest {

  private static LoopHarness harness(int maxModelLen, int maxWaiting, int numBlocks) {
    return LoopHarness.of(
        SchedulerConfig.of(2, 16, maxModelLen, maxWaiting), CacheConfig.of(4, numBlocks));
  }

  @Test
  void aFullQueueRejectsWithAReasonAndAnEvent() {
    LoopHarness h = harness(64, 2, 32);
    assertThat(h.submit(request("a", 0, 4, 2)).isAccepted()).isTrue();
    assertThat(h.submit(request("b", 0, 4, 2)).isAccepted()).isTrue();
    Admission third = h.submit(request("c", 0, 4, 2));
    assertThat(third).isInstanceOf(Admission.Rejected.class);
    Admission.Rejected rejected = (Admission.Rejected) third;
    assertThat(rejected.reason()).isEqualTo(RejectionReason.QUEUE_FULL);
    assertThat(rejected.message()).contains("c", "maximum of 2");
    h.step();
    assertThat(h.terminal("c"))
        .isEqualTo(
            new ServingEvent.Rejected("c", RejectionReason.QUEUE_FULL, rejected.message(), 0));
    // Admitted requests left the queue: there is room again.
    assertThat(h.submit(request("c", 0, 4, 2)).isAccepted()).isTrue();
  }

  @Test
  void aPromptThatLeavesNoRoomToGenerateIsTooLong() {
    LoopHarness h = harness(16, 8, 32);
    Admission tooLong = h.submit(request("long", 0, 16, 1));
    assertThat(((Admission.Rejected) tooLong).reason()).isEqualTo(RejectionReason.PROMPT_TOO_LONG);
    assertThat(((Admission.Rejected) tooLong).message()).contains("16 tokens", "at most 15");
    assertThat(h.submit(request("fits", 0, 15, 1)).isAccepted()).isTrue();
  }

  @Test
  void aRequestWhoseWorstCaseExceedsThePoolNeverFits() {
    // 4 blocks of 4 tokens, watermark 1 block: one request may hold 3 blocks = 12 KV tokens.
    CacheConfig cache = CacheConfig.of(4, 4).withWatermark(0.25);
    LoopHarness h = LoopHarness.of(SchedulerConfig.of(2, 16, 64, 8), cache);
    Admission rejected = h.submit(request("big", 0, 8, 6)); // 13 KV tokens: 4 blocks
    assertThat(((Admission.Rejected) rejected).reason()).isEqualTo(RejectionReason.NEVER_FITS);
    assertThat(((Admission.Rejected) rejected).message()).contains("4 KV blocks", "at most 3");
    assertThat(h.submit(request("ok", 0, 8, 5)).isAccepted()).isTrue(); // 12 KV tokens
    h.runToCompletion(100);
    assertThat(h.finished("ok").reason()).isEqualTo(FinishReason.MAX_TOKENS);
  }

  @Test
  void aLiveIdCannotBeSubmittedTwiceButIsFreeAgainAfterItsEnd() {
    LoopHarness h = harness(64, 8, 32);
    h.submit(request("a", 0, 4, 2));
    Admission again = h.submit(request("a", 0, 4, 2));
    assertThat(((Admission.Rejected) again).reason()).isEqualTo(RejectionReason.DUPLICATE_ID);
    h.runToCompletion(100);
    assertThat(h.submit(request("a", 0, 4, 2)).isAccepted()).isTrue();
  }

  @Test
  void malformedRequestsAreRefusedAtConstruction() {
    SamplingParams greedy = SamplingParams.greedy(1);
    assertThatThrownBy(() -> Request.of(" ", new int[] {1}, greedy)).hasMessageContaining("blank");
    assertThatThrownBy(() -> Request.of("r", new int[0], greedy))
        .hasMessageContaining("r: the prompt has no tokens");
  }

  @Test
  void generationStopsAtTheContextLength() {
    LoopHarness h = harness(12, 8, 32);
    Request request = request("r", 0, 8, 100);
    h.submit(request);
    h.runToCompletion(100);
    ServingEvent.Finished finished = h.finished("r");
    assertThat(finished.reason()).isEqualTo(FinishReason.CONTEXT_LENGTH);
    assertThat(finished.outputTokens().size()).isEqualTo(4);
    assertThat(finished.outputTokens()).isEqualTo(h.expected(request).tokens());
  }

  @Test
  void aStopTokenEndsGenerationAndIsNotEmitted() {
    LoopHarness h = harness(64, 8, 32);
    Request probe = request("probe", 0, 6, 10);
    ImmutableIntList free = h.expected(probe).tokens();
    int stop = free.get(3);
    int stopsAt = free.asList().indexOf(stop); // the first occurrence ends it
    Request request =
        Request.of("r", probe.promptTokens(), probe.sampling().withStopTokens(Set.of(stop)));
    h.submit(request);
    h.runToCompletion(100);
    ServingEvent.Finished finished = h.finished("r");
    assertThat(finished.reason()).isEqualTo(FinishReason.STOP);
    assertThat(finished.outputTokens()).isEqualTo(free.subList(0, stopsAt));
    assertThat(h.streamed("r")).isEqualTo(finished.outputTokens());
  }

  @Test
  void theRunnersEndOfSequenceFlagStopsLikeAStopToken() {
    ServingConfig config =
        new ServingConfig(SchedulerConfig.of(2, 16, 64, 8), CacheConfig.of(4, 32));
    Request request = request("r", 0, 6, 10);
    FakeRunner plain = new FakeRunner(config.cache(), null);
    int eos = plain.reference(request, 64).tokens().get(2);
    LoopHarness h =
        new LoopHarness(
            config, FakeRunner.Settings.DEFAULT.withEndOfSequence(eos), UnaryOperator.identity());
    h.submit(request);
    h.runToCompletion(100);
    assertThat(h.finished("r").reason()).isEqualTo(FinishReason.STOP);
    assertThat(h.finished("r").outputTokens()).isEqualTo(h.expected(request).tokens());
    assertThat(h.finished("r").outputTokens().contains(eos)).isFalse();
  }

  @Test
  void finishedEventsCarryTheRequestsTimings() {
    LoopHarness h = harness(64, 8, 32);
    h.clock.advance(5);
    h.submit(request("r", 0, 6, 3));
    h.runToCompletion(100);
    RequestStats stats = h.finished("r").stats();
    assertThat(stats.arrivalNanos()).isEqualTo(5);
    assertThat(stats.firstScheduledNanos()).isEqualTo(5);
    assertThat(stats.firstTokenNanos()).isGreaterThan(stats.firstScheduledNanos());
    assertThat(stats.endNanos()).isGreaterThan(stats.firstTokenNanos());
    assertThat(stats.promptTokens()).isEqualTo(6);
    assertThat(stats.outputTokens()).isEqualTo(3);
    assertThat(stats.preemptions()).isZero();
  }
}
