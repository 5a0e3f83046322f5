package dev.weft.trainer.algo;

/**
 * Hooks that Hop and Ripples call at their synchronization points, so tests can check invariants
 * (iteration gaps, group membership) and a hang can be explained (who waits for whom). Calls come
 * from worker threads; implementations must be thread-safe. Production runs use {@link #NONE}.
 */
interface SyncObserver {

  SyncObserver NONE = new SyncObserver() {};

  /** {@code rank} entered {@code iteration} (Hop: also after a skip). */
  default void entered(int rank, long iteration) {}

  /** {@code rank} is about to block until one of {@code on} sends something ({@code what}). */
  default void waiting(int rank, int[] on, String what) {}

  /** Hop: {@code rank} finished {@code iteration} averaging with updates from {@code with}. */
  default void averaged(int rank, long iteration, int[] with) {}

  /** Hop: {@code rank} jumped from iteration {@code from} to {@code to}. */
  default void skipped(int rank, long from, long to) {}

  /** Ripples: {@code rank} completed the Partial All-Reduce of group {@code id}. */
  default void reduced(int rank, long id, int[] members) {}

  /** {@code rank} ran its last iteration and entered finish (no longer bounds anyone). */
  default void finishing(int rank) {}

  /** {@code rank} returned from finish. */
  default void done(int rank) {}
}
