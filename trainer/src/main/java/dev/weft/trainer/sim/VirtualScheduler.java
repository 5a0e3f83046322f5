package dev.weft.trainer.sim;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.TrainingException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A discrete-event virtual clock that runs simulated processes as cooperative threads ("fibers").
 * Exactly one fiber runs at a time; it runs until it blocks on the clock (a sleep, a receive with
 * nothing to receive, a join). Then the next ready fiber gets the turn, or — when none is ready —
 * virtual time jumps to the earliest pending event (a timer or a message delivery). Ties are broken
 * by the order events were scheduled, and ready fibers run in the order they became ready, so a run
 * is a pure function of its inputs: the same seed gives the same interleaving whatever the OS
 * thread scheduler does. Algorithm code is unchanged: it sees this as its {@link Clock} and waits
 * through the simulated network, which waits here.
 */
public final class VirtualScheduler implements Clock {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final TreeSet<Event> events =
      new TreeSet<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
  private final ArrayDeque<Fiber> ready = new ArrayDeque<>();
  private final Map<Thread, Fiber> byThread = new HashMap<>();
  private final List<String> uncaught = new ArrayList<>();
  private volatile long now;
  private long seq;
  private Fiber running;
  private int live;
  private boolean stuck;

  /** A timer that wakes {@code fiber}, or an action to run. */
  private record Event(long time, long seq, Fiber fiber, Runnable action) {}

  private final class Fiber {
    final String name;
    final Condition turn = lock.newCondition();
    final WaitQueue ended = new WaitQueue();

    /** The pending deadline of the fiber's current wait, cancelled when it wakes earlier. */
    Event timer;

    boolean queued;
    boolean done;

    Fiber(String name) {
      this.name = name;
    }
  }

  /** Fibers waiting for something (messages for one rank, a fiber's end). */
  public final class WaitQueue {
    private final List<Fiber> waiting = new ArrayList<>();

    /** Makes every waiting fiber ready, in the order they started waiting. */
    public void wakeAll() {
      lock.lock();
      try {
        for (Fiber f : waiting) {
          makeReady(f);
        }
        waiting.clear();
      } finally {
        lock.unlock();
      }
    }
  }

  public WaitQueue newWaitQueue() {
    return new WaitQueue();
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    await(null, now + d.toNanos());
  }

  @Override
  public Thread startThread(String name, Runnable body) {
    return spawn(name, body);
  }

  @Override
  public void join(Thread thread, Duration timeout) throws InterruptedException {
    Fiber f;
    lock.lock();
    try {
      f = byThread.get(thread);
    } finally {
      lock.unlock();
    }
    if (f == null) {
      Clock.super.join(thread, timeout);
      return;
    }
    long deadline = now + timeout.toNanos();
    while (!f.done && now < deadline) {
      await(f.ended, deadline);
    }
    if (f.done) {
      // Its body has ended; the thread only has to leave end() (it needs no turn for that), so
      // callers that check Thread.isAlive see it gone.
      thread.join();
    }
  }

  /**
   * Creates a fiber that runs {@code body} when its turn comes. Fibers created in the same order
   * run in the same order. A throwable escaping {@code body} is recorded (see {@link #run}).
   */
  public Thread spawn(String name, Runnable body) {
    lock.lock();
    try {
      Fiber f = new Fiber(name);
      Thread t =
          new Thread(
              () -> {
                waitTurn(f);
                try {
                  body.run();
                } catch (Throwable e) {
                  lock.lock();
                  try {
                    uncaught.add(name + ": " + e);
                  } finally {
                    lock.unlock();
                  }
                } finally {
                  end(f);
                }
              },
              name);
      t.setDaemon(true);
      byThread.put(t, f);
      live++;
      makeReady(f);
      t.start();
      return t;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs every fiber until all have ended (fibers may spawn more). Called from a thread that is not
   * a fiber. Returns the errors that escaped fiber bodies, in the order they happened.
   *
   * @throws TrainingException if every fiber is blocked with nothing left to wake it
   */
  public List<String> run() {
    lock.lock();
    try {
      if (running == null) {
        dispatch();
      }
      while (live > 0 && !stuck) {
        idle.awaitUninterruptibly();
      }
      if (stuck) {
        throw new TrainingException(
            "simulation deadlock at "
                + now / 1e9
                + " s: every simulated process waits with nothing scheduled to wake it");
      }
      return List.copyOf(uncaught);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code action} (inside the scheduler, not on a fiber) when virtual time reaches {@code
   * at}; actions at the same time run in the order they were scheduled.
   */
  public void schedule(long at, Runnable action) {
    lock.lock();
    try {
      events.add(new Event(Math.max(at, now), seq++, null, action));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks the calling fiber until {@code queue} is woken or virtual time reaches {@code deadline}
   * ({@link Long#MAX_VALUE}: no deadline); the caller re-checks its condition afterwards.
   */
  public void await(WaitQueue queue, long deadline) {
    lock.lock();
    try {
      Fiber f = current();
      if (queue != null) {
        queue.waiting.add(f);
      }
      if (deadline != Long.MAX_VALUE) {
        f.timer = new Event(deadline, seq++, f, null);
        events.add(f.timer);
      }
      running = null;
      dispatch();
      waitTurnLocked(f);
      if (queue != null) {
        queue.waiting.remove(f);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The fiber of the calling thread. A thread the scheduler did not start (one an algorithm made
   * with {@code new Thread} instead of {@link Clock#startThread}) is adopted: it queues for a turn
   * like a new fiber. That keeps the run correct, but its place in the order then depends on the
   * OS, so such a run is no longer guaranteed to repeat exactly.
   */
  private Fiber current() {
    Fiber f = byThread.get(Thread.currentThread());
    if (f != null) {
      return f;
    }
    f = new Fiber(Thread.currentThread().getName());
    byThread.put(Thread.currentThread(), f);
    live++;
    makeReady(f);
    if (running == null) {
      dispatch();
    }
    waitTurnLocked(f);
    return f;
  }

  private void makeReady(Fiber f) {
    if (f.timer != null) {
      events.remove(f.timer);
      f.timer = null;
    }
    if (!f.queued && !f.done) {
      f.queued = true;
      ready.add(f);
    }
  }

  private void waitTurn(Fiber f) {
    lock.lock();
    try {
      waitTurnLocked(f);
    } finally {
      lock.unlock();
    }
  }

  private void waitTurnLocked(Fiber f) {
    while (running != f) {
      f.turn.awaitUninterruptibly();
    }
  }

  private void end(Fiber f) {
    lock.lock();
    try {
      f.done = true;
      live--;
      byThread.remove(Thread.currentThread());
      f.ended.wakeAll();
      running = null;
      dispatch();
    } finally {
      lock.unlock();
    }
  }

  /** Gives the turn to the next ready fiber, advancing virtual time as needed. Lock held. */
  private void dispatch() {
    while (true) {
      Fiber f = ready.poll();
      if (f != null) {
        f.queued = false;
        running = f;
        f.turn.signal();
        return;
      }
      Event e = events.pollFirst();
      if (e == null) {
        if (live > 0) {
          stuck = true;
        }
        idle.signalAll();
        return;
      }
      now = Math.max(now, e.time());
      if (e.action() != null) {
        e.action().run();
      } else {
        e.fiber().timer = null;
        makeReady(e.fiber());
      }
    }
  }
}
