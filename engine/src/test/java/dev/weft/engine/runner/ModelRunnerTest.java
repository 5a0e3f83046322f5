package dev.weft.engine.runner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.TestModels;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.forward.PagedKvPool;
import dev.weft.engine.generate.Generator;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.PreemptionMode;
import dev.weft.scheduler.Request;
import dev.weft.scheduler.SamplingParams;
import dev.weft.scheduler.SchedulerConfig;
import dev.weft.scheduler.ServingConfig;
import dev.weft.scheduler.ServingEvent;
import dev.weft.scheduler.ServingLoop;
import dev.weft.scheduler.StepResult;
import dev.weft.scheduler.SwapCostModel;
import dev.weft.scheduler.testing.FakeClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scheduler's serving loop driving the engine: many requests batched, chunked and (with a tiny
 * pool) preempted must each receive exactly the tokens the one-sequence generator gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelRunnerTest {

  private static final String[] PROMPTS = {
    "",
    "Once upon a time",
    "The little dog",
    "Tom and Lily went to the park",
    "She was very happy because",
    "One day, a big bear",
    "Mia looked at the sky and said",
    "Once upon a time, there was"
  };

  private NDManager manager;
  private LoadedModel loaded;
  private LlamaModel model;
  private final Map<String, int[]> expected = new LinkedHashMap<>();

  @BeforeAll
  void load() {
    loaded =
        LoadedModel.load(
            new ModelSearchPath(List.of(TestModels.sharedModels())).resolve("stories260K"));
    manager = NDManager.newBaseManager("PyTorch");
    model = new LlamaModel(manager, loaded.weights());
    Generator generator = new Generator(model, loaded.stopTokens());
    for (int i = 0; i < PROMPTS.length; i++) {
      int[] prompt = loaded.tokenizer().encode(PROMPTS[i], true);
      expected.put("r" + i, generator.generate(prompt, paramsFor(i), (p, t) -> {}).tokens());
    }
  }

  @AfterAll
  void close() {
    model.close();
    manager.close();
  }

  private SamplingParams paramsFor(int i) {
    // Half greedy, half seeded sampling with penalties: both must be batch-invariant.
    return i % 2 == 0
        ? SamplingParams.greedy(32)
        : new SamplingParams(0.8, 30, 0.9, 0.02, 1.1, 0.2, 1000 + i, 32, Set.of());
  }

  @ParameterizedTest
  @EnumSource(PreemptionMode.class)
  void batchedServingGivesEachRequestTheTokensOfSequentialGeneration(PreemptionMode mode) {
    // A pool of 16 blocks of 4 tokens cannot hold 6 requests of up to ~40 tokens: the scheduler
    // must preempt, so recompute and swap both run on the real engine.
    int blockSize = 4;
    int numBlocks = 16;
    int hostBlocks = mode == PreemptionMode.SWAP ? 64 : 0;
    CacheConfig cache =
        new CacheConfig(blockSize, numBlocks, 0.0, true, hostBlocks, SwapCostModel.FREE);
    SchedulerConfig scheduler =
        SchedulerConfig.of(6, 32, model.config().maxSeqLen(), 16).withPreemption(mode);
    Map<String, List<Integer>> received = new HashMap<>();
    int preemptions = 0;
    try (PagedKvPool pool =
        new PagedKvPool(manager, model.config(), numBlocks, blockSize, hostBlocks)) {
      ServingLoop loop =
          new ServingLoop(
              new ServingConfig(scheduler, cache),
              new FakeClock(),
              new ModelRunner(model, pool, loaded.stopTokens()));
      for (int i = 0; i < PROMPTS.length; i++) {
        int[] prompt = loaded.tokenizer().encode(PROMPTS[i], true);
        loop.submit(Request.of("r" + i, prompt, paramsFor(i)));
        received.put("r" + i, new ArrayList<>());
      }
      int steps = 0;
      while (loop.hasWork()) {
        StepResult result = loop.step();
        for (ServingEvent e : result.events()) {
          if (e instanceof ServingEvent.TokenProduced t) {
            received.get(t.requestId()).add(t.token());
          } else if (e instanceof ServingEvent.Preempted) {
            preemptions++;
          }
        }
        assertThat(++steps).as("serving loop makes progress").isLessThan(5000);
      }
    }
    assertThat(preemptions).as("the tiny pool forces preemption").isPositive();
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      assertThat(received.get(e.getKey()))
          .as("tokens of %s", e.getKey())
          .containsExactly(java.util.Arrays.stream(e.getValue()).boxed().toArray(Integer[]::new));
    }
  }
}
