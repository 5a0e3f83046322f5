/** Request traces for serving workloads (the Azure LLM inference trace). */
package dev.weft.data.trace;
