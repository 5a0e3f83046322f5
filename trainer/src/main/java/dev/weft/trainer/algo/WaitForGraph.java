package dev.weft.trainer.algo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who waits for whom, as reported through {@link SyncObserver}: the diagnostic printed when a run
 * hangs. Each rank is running, waiting (on some ranks, for something) or done; {@link #describe()}
 * follows every waiting rank's first not-done awaited rank to the end of the chain or round a
 * cycle, e.g. {@code 2 waits for [1] (a token to enter iteration 9) -> 1 waits for [0] (...) -> 0
 * is running (iteration 3)}.
 */
final class WaitForGraph implements SyncObserver {

  private record State(String what, int[] on, long iteration, boolean done) {}

  private final int ranks;
  private final Map<Integer, State> states = new ConcurrentHashMap<>();

  WaitForGraph(int ranks) {
    this.ranks = ranks;
  }

  private State get(int rank) {
    return states.getOrDefault(rank, new State(null, new int[0], 0, false));
  }

  @Override
  public void entered(int rank, long iteration) {
    states.put(rank, new State(null, new int[0], iteration, false));
  }

  @Override
  public void waiting(int rank, int[] on, String what) {
    State s = get(rank);
    states.put(rank, new State(what, on.clone(), s.iteration(), false));
  }

  @Override
  public void averaged(int rank, long iteration, int[] with) {
    running(rank);
  }

  @Override
  public void reduced(int rank, long id, int[] members) {
    running(rank);
  }

  private void running(int rank) {
    State s = get(rank);
    states.put(rank, new State(null, new int[0], s.iteration(), false));
  }

  @Override
  public void done(int rank) {
    states.put(rank, new State(null, new int[0], get(rank).iteration(), true));
  }

  /** Ranks not done yet. */
  List<Integer> unfinished() {
    List<Integer> u = new ArrayList<>();
    for (int r = 0; r < ranks; r++) {
      if (!get(r).done()) {
        u.add(r);
      }
    }
    return u;
  }

  /** One line per waiting chain, starting at every unfinished rank not already shown. */
  String describe() {
    StringBuilder b = new StringBuilder();
    Set<Integer> shown = new LinkedHashSet<>();
    for (int start : unfinished()) {
      if (shown.contains(start)) {
        continue;
      }
      Set<Integer> chain = new LinkedHashSet<>();
      int r = start;
      StringBuilder line = new StringBuilder();
      while (true) {
        State s = get(r);
        if (chain.contains(r)) {
          line.append(r).append(" (cycle)");
          break;
        }
        chain.add(r);
        if (s.done()) {
          line.append(r).append(" is done");
          break;
        }
        if (s.what() == null) {
          line.append(r).append(" is running (iteration ").append(s.iteration()).append(')');
          break;
        }
        line.append(r)
            .append(" at iteration ")
            .append(s.iteration())
            .append(" waits for ")
            .append(Arrays.toString(s.on()))
            .append(" (")
            .append(s.what())
            .append(')');
        int next = -1;
        for (int o : s.on()) {
          if (o != r && (o >= ranks || !get(o).done())) {
            next = o;
            break;
          }
        }
        if (next < 0 || next >= ranks) {
          break;
        }
        line.append(" -> ");
        r = next;
      }
      shown.addAll(chain);
      b.append(line).append('\n');
    }
    return b.toString();
  }
}
