package dev.weft.simulator;

import dev.weft.scheduler.Admission;
import dev.weft.scheduler.ImmutableIntList;
import dev.weft.scheduler.Request;
import dev.weft.scheduler.SamplingParams;
import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.ServingEvent;
import dev.weft.scheduler.ServingLoop;
import dev.weft.scheduler.StepRecord;
import dev.weft.scheduler.StepResult;
import dev.weft.scheduler.testing.FakeClock;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.WorkloadRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The discrete-event driver: runs the scheduler's own {@link ServingLoop} on a virtual clock with a
 * {@link CostModelRunner}. Between steps it submits every request whose arrival time has come (as
 * the live server's loop thread does between steps); when the loop is idle it jumps to the next
 * arrival. Closed-loop clients send their next request when their previous one ends. Nothing here
 * reads the wall clock or an unseeded random source, so equal inputs give equal outputs.
 */
public final class Simulator {

  private final ServingConfig config;
  private final CostModel costModel;

  public Simulator(ServingConfig config, CostModel costModel) {
    this.config = config;
    this.costModel = costModel;
  }

  /** Runs {@code workload} to completion. */
  public SimulationResult run(Workload workload) {
    long wallStart = System.nanoTime();
    FakeClock clock = new FakeClock();
    CostModelRunner runner = new CostModelRunner(clock, costModel);
    ServingLoop loop = new ServingLoop(config, clock, runner);
    List<WorkloadRequest> requests = workload.requests();
    Map<String, Integer> index = new HashMap<>();
    long[] sent = new long[requests.size()];
    List<List<Long>> tokens = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      index.put(requests.get(i).id(), i);
      tokens.add(new ArrayList<>());
    }
    RequestTiming[] timings = new RequestTiming[requests.size()];
    List<StepRecord> steps = new ArrayList<>();
    // Open loop: the next request in arrival order. Closed loop: a queue of (time, index) sends.
    int next = 0;
    java.util.PriorityQueue<long[]> sends =
        new java.util.PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    if (workload.closedLoop()) {
      for (int c = 0; c < Math.min(workload.clients(), requests.size()); c++) {
        sends.add(new long[] {0, next++});
      }
    } else {
      for (int i = 0; i < requests.size(); i++) {
        sends.add(new long[] {requests.get(i).arrivalNanos(), i});
      }
      next = requests.size();
    }
    int ended = 0;
    while (ended < requests.size()) {
      while (!sends.isEmpty() && sends.peek()[0] <= clock.nanoTime()) {
        long[] send = sends.poll();
        int i = (int) send[1];
        sent[i] = send[0];
        WorkloadRequest r = requests.get(i);
        Request request =
            new Request(
                r.id(),
                ImmutableIntList.of(workload.promptOf(i)),
                SamplingParams.greedy(r.outputTokens()),
                r.priority(),
                Request.NO_DEADLINE);
        Admission admission = loop.submit(request);
        if (admission instanceof Admission.Rejected) {
          // its Rejected event follows from the next step
          continue;
        }
      }
      if (!loop.hasWork()) {
        if (sends.isEmpty()) {
          throw new IllegalStateException("simulation stalled with requests outstanding");
        }
        clock.advanceTo(sends.peek()[0]);
        continue;
      }
      StepResult step = loop.step();
      step.record().ifPresent(steps::add);
      for (ServingEvent event : step.events()) {
        Integer i = index.get(event.requestId());
        if (event instanceof ServingEvent.TokenProduced t) {
          tokens.get(i).add(t.timeNanos());
        } else if (event.isTerminal()) {
          boolean ok = event instanceof ServingEvent.Finished;
          timings[i] =
              new RequestTiming(
                  event.requestId(),
                  sent[i],
                  tokens.get(i).stream().mapToLong(Long::longValue).toArray(),
                  Math.max(sent[i], event.timeNanos()),
                  requests.get(i).promptTokens(),
                  ok);
          ended++;
          if (workload.closedLoop() && next < requests.size()) {
            sends.add(new long[] {event.timeNanos(), next++});
          }
        }
      }
      clock.advance(runner.takeTrailingNanos());
      if (step.isIdle() && step.events().isEmpty() && loop.hasWork()) {
        // Requests wait that nothing can start: only an arrival could change that.
        if (sends.isEmpty()) {
          throw new IllegalStateException(
              "simulation stalled: " + loop.numWaiting() + " requests wait and none can start");
        }
        clock.advanceTo(Math.max(clock.nanoTime(), sends.peek()[0]));
      }
    }
    long wall = System.nanoTime() - wallStart;
    return new SimulationResult(List.of(timings), steps, clock.nanoTime(), wall);
  }
}
