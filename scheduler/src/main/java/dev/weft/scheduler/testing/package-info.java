/**
 * Test doubles for the serving loop, usable from other modules' tests: a {@link
 * dev.weft.scheduler.testing.FakeClock} and a {@link dev.weft.scheduler.testing.FakeRunner} that
 * simulates KV contents, so scheduling mistakes change the tokens it produces.
 */
package dev.weft.scheduler.testing;
