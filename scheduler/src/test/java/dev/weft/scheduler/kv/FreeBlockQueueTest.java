package dev.weft.scheduler.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FreeBlockQueueTest {

  @Test
  void startsWithEveryBlockInIdOrder() {
    FreeBlockQueue queue = new FreeBlockQueue(4);
    assertThat(queue.toArray()).containsExactly(0, 1, 2, 3);
    assertThat(queue.size()).isEqualTo(4);
  }

  @Test
  void removesFromTheMiddleAndKeepsTheRestInOrder() {
    FreeBlockQueue queue = new FreeBlockQueue(5);
    queue.remove(2);
    queue.remove(0);
    queue.remove(4);
    assertThat(queue.toArray()).containsExactly(1, 3);
    assertThat(queue.contains(2)).isFalse();
    queue.addLast(2);
    queue.addFirst(0);
    assertThat(queue.toArray()).containsExactly(0, 1, 3, 2);
    assertThat(queue.pollFirst()).isEqualTo(0);
    assertThat(queue.pollFirst()).isEqualTo(1);
    assertThat(queue.toArray()).containsExactly(3, 2);
  }

  @Test
  void refusesToQueueABlockTwiceOrTakeFromAnEmptyQueue() {
    FreeBlockQueue queue = new FreeBlockQueue(1);
    assertThatThrownBy(() -> queue.addLast(0)).isInstanceOf(IllegalStateException.class);
    queue.pollFirst();
    assertThatThrownBy(queue::pollFirst).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> queue.remove(0)).isInstanceOf(IllegalStateException.class);
  }
}
