/**
 * The serving loop and everything that decides what runs when: admission with typed rejections,
 * cancellation and deadlines, continuous and static batching with chunked prefill, preemption by
 * recompute or swap, and the paged KV block manager ({@link dev.weft.scheduler.kv}). Plain
 * deterministic Java with no dependency but the JDK, written against {@link
 * dev.weft.scheduler.Clock} and {@link dev.weft.scheduler.Runner}, so that the live server and the
 * simulator run the same decisions.
 *
 * <p>Entry point: {@link dev.weft.scheduler.ServingLoop}.
 */
package dev.weft.scheduler;
