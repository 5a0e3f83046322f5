package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImmutableIntListTest {

  @Test
  void snapshotsNeverChangeWhileTheListGrowsOrIsCleared() {
    AppendOnlyIntList list = new AppendOnlyIntList(1);
    list.add(1);
    list.add(2);
    ImmutableIntList before = list.snapshot();
    for (int i = 3; i < 100; i++) {
      list.add(i);
    }
    list.clear();
    list.add(42);
    assertThat(before).isEqualTo(ImmutableIntList.of(1, 2));
    assertThat(list.snapshot()).isEqualTo(ImmutableIntList.of(42));
  }

  @Test
  void copiesItsInputAndComparesByContent() {
    int[] values = {5, 6, 7};
    ImmutableIntList list = ImmutableIntList.of(values);
    values[0] = 0;
    assertThat(list.get(0)).isEqualTo(5);
    assertThat(list.subList(1, 3)).isEqualTo(ImmutableIntList.copyOf(List.of(6, 7)));
    assertThat(list.subList(1, 3).hashCode()).isEqualTo(ImmutableIntList.of(6, 7).hashCode());
    assertThat(list.asList()).containsExactly(5, 6, 7);
    assertThat(list.toString()).isEqualTo("[5, 6, 7]");
    assertThat(list.contains(7)).isTrue();
    assertThat(list.last()).isEqualTo(7);
    assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.asList().set(0, 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
