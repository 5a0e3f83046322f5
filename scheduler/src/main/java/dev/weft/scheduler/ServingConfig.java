package dev.weft.scheduler;

/** The scheduler and cache settings of one serving loop, checked against each other. */
public record ServingConfig(SchedulerConfig scheduler, CacheConfig cache) {

  public ServingConfig {
    if (scheduler == null || cache == null) {
      throw new IllegalArgumentException("scheduler and cache settings are required");
    }
    if (scheduler.preemption() == PreemptionMode.SWAP && cache.numHostBlocks() == 0) {
      throw new IllegalArgumentException(
          "preemption by swap needs a host store: give the cache some host blocks, or preempt by"
              + " recompute");
    }
  }
}
