package dev.weft.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.ImmutableIntList;
import dev.weft.scheduler.Request;
import dev.weft.scheduler.SamplingParams;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.ServingEvent;
import dev.weft.scheduler.StepResult;
import dev.weft.simulator.SimulationResult;
import dev.weft.simulator.Simulator;
import dev.weft.simulator.cost.ReplayCostModel;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.workload.Workload;
import dev.weft.simulator.workload.WorkloadRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md principle 1, checked: a scripted workload runs live (the engine's model runner on
 * stories260K, system clock), then in the simulator with a cost model that replays the live run's
 * measured step times. The simulator's scheduler must make the same decisions, so every request's
 * tokens come at exactly the live times (relative to the first step) — through chunked prefill,
 * continuous batching and preemption.
 */
class SharedSchedulerTest {

  static final long SEED = 17;

  static Path stories260K() {
    Path root = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
    return root.resolveSibling("shared").resolve("models").resolve("stories260K");
  }

  @Test
  void simulatorReplayingLiveStepTimesReproducesTheLiveTokenSchedule() {
    LoadedModel model =
        LoadedModel.load(new ModelSearchPath(List.of()).resolve(stories260K().toString()));
    // Small pool (30 blocks of 8 = 240 slots) so that the script preempts; chunks of <= 48 tokens.
    ServingConfig config =
        new ServingConfig(SchedulerConfig.of(8, 48, 512, 64), CacheConfig.of(8, 30));
    int[][] lengths = {
      {40, 30}, {25, 40}, {60, 20}, {12, 35}, {33, 25}, {50, 30}, {20, 40}, {45, 15}, {30, 30},
      {18, 38}, {55, 22}, {28, 28}
    };
    int[] submitBeforeStep = {0, 0, 0, 2, 5, 5, 9, 14, 20, 27, 27, 35};
    List<WorkloadRequest> script = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      script.add(new WorkloadRequest("r" + i, 0, lengths[i][0], lengths[i][1], 0));
    }
    Workload prompts = new Workload(script, 0, SEED, model.config().vocabSize());

    // Live.
    long[] sent = new long[lengths.length];
    Map<String, List<Long>> liveTokens = new HashMap<>();
    Map<String, Long> liveEnd = new HashMap<>();
    TimedLoop live;
    try (LiveEngine engine = new LiveEngine(model, config)) {
      live = new TimedLoop(config, engine.runner());
      int next = 0;
      for (int step = 0; next < lengths.length || live.loop.hasWork(); step++) {
        while (next < lengths.length && submitBeforeStep[next] <= step) {
          sent[next] = System.nanoTime();
          live.loop.submit(
              Request.of(
                  "r" + next,
                  ImmutableIntList.of(prompts.promptOf(next)),
                  SamplingParams.greedy(lengths[next][1])));
          next++;
        }
        StepResult result = live.step();
        assertThat(result.plan()).as("step %d ran a plan", step).isPresent();
        for (ServingEvent e : result.events()) {
          if (e instanceof ServingEvent.TokenProduced t) {
            liveTokens.computeIfAbsent(t.requestId(), k -> new ArrayList<>()).add(t.timeNanos());
          } else if (e instanceof ServingEvent.Finished f) {
            liveEnd.put(f.requestId(), f.timeNanos());
          }
        }
      }
    }
    assertThat(liveEnd).hasSize(lengths.length);
    assertThat(live.records().stream().mapToInt(r -> r.numPreempted()).sum())
        .as("the script preempts")
        .isPositive();
    assertThat(
            live.records().stream()
                .filter(r -> r.numPrefillSequences() > 0 && r.numDecodeSequences() > 0)
                .count())
        .as("steps mix prefill chunks and decodes")
        .isPositive();

    // Simulated, with arrivals at the live submission times.
    long t0 = live.records().get(0).startNanos();
    List<WorkloadRequest> arrivals = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      arrivals.add(
          new WorkloadRequest("r" + i, Math.max(0, sent[i] - t0), lengths[i][0], lengths[i][1], 0));
    }
    ReplayCostModel replay = new ReplayCostModel(live.recorded());
    SimulationResult sim =
        new Simulator(config, replay)
            .run(new Workload(arrivals, 0, SEED, model.config().vocabSize()));

    assertThat(replay.mismatches()).isEmpty();
    assertThat(sim.steps()).hasSameSizeAs(live.records());
    for (RequestTiming r : sim.requests()) {
      long[] expected = liveTokens.get(r.id()).stream().mapToLong(t -> t - t0).toArray();
      assertThat(r.completed()).isTrue();
      assertThat(r.tokenNanos()).as(r.id()).containsExactly(expected);
      assertThat(r.endNanos()).isEqualTo(liveEnd.get(r.id()) - t0);
    }
  }
}
