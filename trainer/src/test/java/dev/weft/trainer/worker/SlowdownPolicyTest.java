package dev.weft.trainer.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowdownPolicyTest {

  @Test
  void aFactorSleepsTheDifferenceToItsMultipleOfCompute() {
    SlowdownPolicy p = new SlowdownPolicy(5.0, 0, 1, 1);
    assertThat(p.extra(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(40));
    assertThat(new SlowdownPolicy(1, 0, 1, 1).extra(Duration.ofMillis(10))).isZero();
  }

  @Test
  void transientSlowdownsHitAboutTheirProbabilityAndAreSeeded() {
    SlowdownPolicy a = new SlowdownPolicy(1, 0.25, 3, 42);
    SlowdownPolicy b = new SlowdownPolicy(1, 0.25, 3, 42);
    int hits = 0;
    for (int i = 0; i < 4000; i++) {
      Duration d = a.extra(Duration.ofMillis(10));
      assertThat(d).isEqualTo(b.extra(Duration.ofMillis(10)));
      if (!d.isZero()) {
        assertThat(d).isEqualTo(Duration.ofMillis(20));
        hits++;
      }
    }
    assertThat(hits).isBetween(850, 1150);
  }

  @Test
  void factorsBelowOneAreRejected() {
    assertThatThrownBy(() -> new SlowdownPolicy(0.5, 0, 1, 1)).hasMessageContaining(">= 1");
  }
}
