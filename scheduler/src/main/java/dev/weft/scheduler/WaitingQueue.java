package dev.weft.scheduler;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The requests not running: new arrivals, requests preempted by recompute and swapped-out ones, in
 * the order the policy serves them. Admission is head-of-line: the scheduler stops at the first
 * request that does not fit, so order is the whole policy.
 */
abstract class WaitingQueue {

  static WaitingQueue create(SchedulingPolicy policy) {
    return policy == SchedulingPolicy.PRIORITY ? new ByPriority() : new FirstComeFirstServed();
  }

  abstract void addArrival(SequenceState sequence);

  /** Puts a preempted request back; it resumes ahead of anything of equal standing. */
  abstract void addPreempted(SequenceState sequence);

  abstract SequenceState peek();

  abstract SequenceState poll();

  abstract boolean remove(SequenceState sequence);

  abstract int size();

  /** In service order. */
  abstract Collection<SequenceState> inOrder();

  boolean isEmpty() {
    return size() == 0;
  }

  /** Arrival order; preempted requests go back to the head. */
  private static final class FirstComeFirstServed extends WaitingQueue {
    private final Deque<SequenceState> queue = new ArrayDeque<>();

    @Override
    void addArrival(SequenceState sequence) {
      queue.addLast(sequence);
    }

    @Override
    void addPreempted(SequenceState sequence) {
      queue.addFirst(sequence);
    }

    @Override
    SequenceState peek() {
      return queue.peekFirst();
    }

    @Override
    SequenceState poll() {
      return queue.pollFirst();
    }

    @Override
    boolean remove(SequenceState sequence) {
      return queue.remove(sequence);
    }

    @Override
    int size() {
      return queue.size();
    }

    @Override
    Collection<SequenceState> inOrder() {
      return queue;
    }
  }

  /** Priority, then arrival: a preempted request's earlier arrival puts it back in front. */
  private static final class ByPriority extends WaitingQueue {
    private final NavigableSet<SequenceState> queue = new TreeSet<>(SequenceState.PRIORITY_ORDER);

    @Override
    void addArrival(SequenceState sequence) {
      queue.add(sequence);
    }

    @Override
    void addPreempted(SequenceState sequence) {
      queue.add(sequence);
    }

    @Override
    SequenceState peek() {
      return queue.isEmpty() ? null : queue.first();
    }

    @Override
    SequenceState poll() {
      return queue.pollFirst();
    }

    @Override
    boolean remove(SequenceState sequence) {
      return queue.remove(sequence);
    }

    @Override
    int size() {
      return queue.size();
    }

    @Override
    Collection<SequenceState> inOrder() {
      return queue;
    }
  }
}
