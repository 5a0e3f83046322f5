package dev.weft.trainer.algo;

import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.PeerNetwork;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Ripples' Group Generator: one process (rank {@code workers}) that forms groups as workers reach
 * their sync points. Each group is appended to every member's Group Buffer (one message per member)
 * before the next group is formed; messages from one sender arrive in order, so every worker sees
 * the groups it shares with others in the same global order, which rules out deadlock.
 *
 * <p>Group Division: workers are split into divisions (reshuffled every {@code workers} groups so
 * models still mix across the whole cluster) and partners come from the requester's division first,
 * so concurrently formed groups rarely overlap.
 */
final class GroupGenerator {

  private final AlgorithmConfig config;
  private final PeerNetwork net;
  private final int workers;
  private final int size;
  private final RipplesOptions opt;
  private final Random random;
  private final boolean[] finished;
  private final int[] division;

  /** Workers whose request is unanswered, longest-waiting first (ready policy). */
  private final ArrayDeque<Integer> waiting = new ArrayDeque<>();

  private int active;
  private long nextId;

  GroupGenerator(AlgorithmConfig config, PeerNetwork net) {
    if (net.rank() != config.workers()) {
      throw new IllegalArgumentException(
          "the group generator runs as rank " + config.workers() + ", not " + net.rank());
    }
    this.config = config;
    this.net = net;
    this.workers = config.workers();
    this.size = Ripples.groupSize(config);
    this.opt = config.ripples();
    this.random = new Random(config.seed() * 6364136223846793005L + 1442695040888963407L);
    this.finished = new boolean[workers];
    this.division = new int[workers];
    this.active = workers;
    redivide();
  }

  void run() {
    while (active > 0) {
      Message m = net.receiveAny(RipplesProtocol.REQUEST, config.timeout());
      int w = m.from();
      if (m.seq() == RipplesProtocol.DONE) {
        finished[w] = true;
        active--;
        net.send(w, RipplesProtocol.GROUP, RipplesProtocol.END, new float[0]);
      } else if (opt.partners() == RipplesOptions.Partners.RANDOM) {
        List<Integer> partners = pick(w, candidates(w, activeWorkers()));
        partners.add(0, w);
        dispatch(partners, new int[] {w});
      } else {
        waiting.add(w);
      }
      if (opt.partners() == RipplesOptions.Partners.READY) {
        formReadyGroups();
      }
    }
  }

  /**
   * Ready policy: a group forms once {@code size} workers wait, or once every running worker waits
   * (the last few of a run, or fewer workers than a group).
   */
  private void formReadyGroups() {
    while (!waiting.isEmpty() && (waiting.size() >= size || waiting.size() == active)) {
      int first = waiting.removeFirst();
      List<Integer> partners = pick(first, new ArrayList<>(waiting));
      waiting.removeAll(partners);
      partners.add(0, first);
      int[] members = partners.stream().mapToInt(Integer::intValue).toArray();
      dispatch(partners, members);
    }
  }

  private List<Integer> activeWorkers() {
    List<Integer> a = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      if (!finished[w]) {
        a.add(w);
      }
    }
    return a;
  }

  private static List<Integer> candidates(int requester, List<Integer> pool) {
    List<Integer> c = new ArrayList<>(pool);
    c.remove(Integer.valueOf(requester));
    return c;
  }

  /** Up to size-1 partners for {@code w} from {@code pool}: own division first, then anyone. */
  private List<Integer> pick(int w, List<Integer> pool) {
    List<Integer> same = new ArrayList<>();
    List<Integer> other = new ArrayList<>();
    for (int c : pool) {
      (division[c] == division[w] ? same : other).add(c);
    }
    Collections.shuffle(same, random);
    Collections.shuffle(other, random);
    same.addAll(other);
    return new ArrayList<>(same.subList(0, Math.min(size - 1, same.size())));
  }

  /** Appends the group to every member's buffer before anything else is formed. */
  private void dispatch(List<Integer> members, int[] answers) {
    int[] ring = members.stream().mapToInt(Integer::intValue).toArray();
    float[] encoded = new RipplesProtocol.Group(nextId, ring, answers).encode();
    for (int m : ring) {
      net.send(m, RipplesProtocol.GROUP, nextId, encoded);
    }
    nextId++;
    if (nextId % workers == 0) {
      redivide();
    }
  }

  private void redivide() {
    int d = Math.min(opt.divisions(), Math.max(1, workers / size));
    List<Integer> order = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      order.add(w);
    }
    Collections.shuffle(order, random);
    for (int i = 0; i < workers; i++) {
      division[order.get(i)] = i * d / workers;
    }
  }
}
