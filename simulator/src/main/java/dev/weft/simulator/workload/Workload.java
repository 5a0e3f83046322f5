package dev.weft.simulator.workload;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Requests and how they arrive: open loop (each at its arrival time) or closed loop ({@code
 * clients} clients, each sending its next request when its previous one ends).
 *
 * @param requests in arrival order (open loop) or in the order clients take them (closed loop)
 * @param clients 0 for an open loop; otherwise the number of closed-loop clients
 * @param tokenSeed seeds the prompts' token ids (see {@link PromptTokens})
 * @param vocabSize token ids are drawn from {@code [3, vocabSize)}
 */
public record Workload(List<WorkloadRequest> requests, int clients, long tokenSeed, int vocabSize) {
  public Workload {
    requests = List.copyOf(requests);
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("a workload needs at least one request");
    }
    if (clients < 0) {
      throw new IllegalArgumentException("clients is " + clients + ", must be >= 0");
    }
    if (vocabSize < 4) {
      throw new IllegalArgumentException("vocab size is " + vocabSize + ", must be >= 4");
    }
    Set<String> ids = new HashSet<>();
    long last = -1;
    for (WorkloadRequest r : requests) {
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException("request id " + r.id() + " appears twice");
      }
      if (clients == 0 && r.arrivalNanos() < last) {
        throw new IllegalArgumentException("open-loop requests must be in arrival order");
      }
      last = r.arrivalNanos();
    }
  }

  public boolean closedLoop() {
    return clients > 0;
  }

  /** The first {@code n} requests. */
  public Workload limit(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("max requests is " + n + ", must be >= 1");
    }
    return new Workload(
        new ArrayList<>(requests.subList(0, Math.min(n, requests.size()))),
        clients,
        tokenSeed,
        vocabSize);
  }

  /** The prompt token ids of request {@code index}. */
  public int[] promptOf(int index) {
    WorkloadRequest r = requests.get(index);
    return PromptTokens.of(tokenSeed, index, r.promptTokens(), vocabSize);
  }
}
