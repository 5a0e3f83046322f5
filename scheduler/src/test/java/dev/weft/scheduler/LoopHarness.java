package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.testing.FakeClock;
import dev.weft.scheduler.testing.FakeRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A serving loop over a {@link FakeRunner} and a {@link FakeClock} that checks the scheduler's
 * invariants and budgets after every step and keeps every event by request.
 */
final class LoopHarness {
  final ServingConfig config;
  final FakeClock clock = new FakeClock();
  final FakeRunner runner;
  final ServingLoop loop;
  final Map<String, List<ServingEvent>> eventsById = new LinkedHashMap<>();
  final List<StepResult> steps = new ArrayList<>();
  final List<ServingEvent> events = new ArrayList<>();
  int preemptions;

  LoopHarness(ServingConfig config) {
    this(config, FakeRunner.Settings.DEFAULT, UnaryOperator.identity());
  }

  LoopHarness(
      ServingConfig config, FakeRunner.Settings settings, UnaryOperator<Runner> wrapRunner) {
    this.config = config;
    this.runner = new FakeRunner(config.cache(), clock, settings);
    this.loop = new ServingLoop(config, clock, wrapRunner.apply(runner));
  }

  static LoopHarness of(SchedulerConfig scheduler, CacheConfig cache) {
    return new LoopHarness(new ServingConfig(scheduler, cache));
  }

  Admission submit(Request request) {
    eventsById.putIfAbsent(request.id(), new ArrayList<>());
    return loop.submit(request);
  }

  StepResult step() {
    StepResult result = loop.step();
    steps.add(result);
    for (ServingEvent event : result.events()) {
      events.add(event);
      eventsById.computeIfAbsent(event.requestId(), id -> new ArrayList<>()).add(event);
      if (event instanceof ServingEvent.Preempted) {
        preemptions++;
      }
    }
    result.plan().ifPresent(plan -> Invariants.checkPlan(plan, config));
    Invariants.checkState(loop);
    return result;
  }

  /** Steps until the loop has no work; fails if that takes more than {@code maxSteps}. */
  void runToCompletion(int maxSteps) {
    for (int i = 0; i < maxSteps && loop.hasWork(); i++) {
      step();
    }
    assertThat(loop.hasWork()).as("loop still busy after %d steps", maxSteps).isFalse();
    Invariants.checkDrained(loop);
  }

  ServingEvent terminal(String id) {
    List<ServingEvent> list = eventsById.get(id);
    assertThat(list).as("events of %s", id).isNotNull();
    List<ServingEvent> terminals = list.stream().filter(ServingEvent::isTerminal).toList();
    assertThat(terminals).as("terminal events of %s", id).hasSize(1);
    return terminals.get(0);
  }

  ServingEvent.Finished finished(String id) {
    ServingEvent event = terminal(id);
    assertThat(event).isInstanceOf(ServingEvent.Finished.class);
    return (ServingEvent.Finished) event;
  }

  /** The tokens streamed for {@code id}, in order. */
  ImmutableIntList streamed(String id) {
    return ImmutableIntList.copyOf(
        eventsById.get(id).stream()
            .filter(e -> e instanceof ServingEvent.TokenProduced)
            .map(e -> ((ServingEvent.TokenProduced) e).token())
            .toList());
  }

  FakeRunner.Expected expected(Request request) {
    return runner.reference(request, config.scheduler().maxModelLen());
  }
}
