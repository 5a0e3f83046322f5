package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringMatcherTest {

  @Test
  void textThatMayStartAStopStringIsHeldUntilItIsKnown() {
    StopStringMatcher m = new StopStringMatcher(List.of("The end"));
    assertThat(m.push("and they lived. Th"))
        .isEqualTo(new StopStringMatcher.Result("and they lived. ", false));
    assertThat(m.push("e e")).isEqualTo(new StopStringMatcher.Result("", false));
    assertThat(m.push("nd!")).isEqualTo(new StopStringMatcher.Result("", true));
  }

  @Test
  void aFalseStartIsReleasedAndTheRestIsFlushedAtTheEnd() {
    StopStringMatcher m = new StopStringMatcher(List.of("STOP", "\n\n"));
    assertThat(m.push("ST").text()).isEmpty();
    assertThat(m.push("ay\n").text()).isEqualTo("STay");
    assertThat(m.flush()).isEqualTo("\n");
  }

  @Test
  void theEarliestStopStringWinsAndTextBeforeItIsReleased() {
    StopStringMatcher m = new StopStringMatcher(List.of("dog", "a d"));
    StopStringMatcher.Result r = m.push("I saw a dog");
    assertThat(r).isEqualTo(new StopStringMatcher.Result("I saw ", true));
  }

  @Test
  void withoutStopStringsTextPassesStraightThrough() {
    StopStringMatcher m = new StopStringMatcher(List.of());
    assertThat(m.push("abc")).isEqualTo(new StopStringMatcher.Result("abc", false));
    assertThat(m.flush()).isEmpty();
  }
}
