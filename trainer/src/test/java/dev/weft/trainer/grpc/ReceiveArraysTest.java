package dev.weft.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReceiveArraysTest {

  @Test
  void aReturnedArrayIsTakenAgainLastInFirstOut() {
    ReceiveArrays pool = new ReceiveArrays();
    float[] a = pool.take(8192);
    float[] b = pool.take(8192);
    assertThat(a).isNotSameAs(b).hasSize(8192);
    pool.give(a);
    pool.give(b);
    assertThat(pool.idleBytes()).isEqualTo(2 * 4 * 8192);
    assertThat(pool.take(8192)).isSameAs(b);
    assertThat(pool.take(8192)).isSameAs(a);
    assertThat(pool.take(8192)).isNotSameAs(a).isNotSameAs(b);
    assertThat(pool.idleBytes()).isZero();
  }

  @Test
  void arraysAreKeptPerLength() {
    ReceiveArrays pool = new ReceiveArrays();
    float[] a = new float[8192];
    pool.give(a);
    assertThat(pool.take(8193)).hasSize(8193).isNotSameAs(a);
    assertThat(pool.take(8192)).isSameAs(a);
  }

  @Test
  void smallArraysAndArraysBeyondTheBoundAreLeftToTheCollector() {
    ReceiveArrays pool = new ReceiveArrays();
    pool.give(new float[ReceiveArrays.MIN_LENGTH - 1]);
    assertThat(pool.idleBytes()).isZero();
    int n = 1 << 16;
    long fits = ReceiveArrays.MAX_IDLE_BYTES / (4L * n);
    for (int i = 0; i <= fits; i++) {
      pool.give(new float[n]);
    }
    assertThat(pool.idleBytes()).isEqualTo(ReceiveArrays.MAX_IDLE_BYTES);
  }

  @Test
  void returningAnIdleArrayTwiceIsRefused() {
    ReceiveArrays pool = new ReceiveArrays();
    float[] a = new float[8192];
    pool.give(a);
    assertThatThrownBy(() -> pool.give(a))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned twice");
  }
}
