/**
 * The paged KV cache's accounts: a device pool of fixed-size blocks with reference counts, a free
 * queue in eviction order, prefix caching of full blocks by a hash chain of their tokens, a
 * watermark, and a host store for swapped-out requests. It keeps ids and counts only; the runner
 * holds the tensors.
 */
package dev.weft.scheduler.kv;
