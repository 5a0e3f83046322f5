package dev.weft.trainer.hypar;

import java.util.ArrayList;
import java.util.List;

/**
 * A partition of a network over {@code 2^H} accelerators: per hierarchy level (H1 first, the split
 * of the whole array into two halves) one choice per weighted layer, with each level's
 * communication as the model counts it.
 *
 * @param strategy how it was found ("hypar", "dp", "mp", "conv-dp/fc-mp", "optimal")
 * @param levels {@code levels.get(h-1).get(l)}: layer l's choice at level Hh
 * @param levelElements elements one group sends at level Hh, computed on the sizes one group sees
 *     after levels H1..H(h-1)
 */
public record Plan(String strategy, List<List<Choice>> levels, List<Double> levelElements) {

  public Plan {
    levels = levels.stream().map(List::copyOf).toList();
    levelElements = List.copyOf(levelElements);
    if (levels.size() != levelElements.size()) {
      throw new IllegalArgumentException("one cost per level");
    }
  }

  public int depth() {
    return levels.size();
  }

  /**
   * The paper's total, com_1 + 2·com_2 + 4·com_3 + ...: level Hh happens between 2^(h-1) pairs of
   * groups at once. Each pair exchanges symmetrically, so all accelerators together send twice
   * this.
   */
  public double totalElements() {
    double t = 0;
    for (int h = 0; h < levelElements.size(); h++) {
      t += Math.scalb(levelElements.get(h), h);
    }
    return t;
  }

  /** The paper's total in bytes of 32-bit values. */
  public double totalBytes() {
    return 4 * totalElements();
  }

  /** Bytes all accelerators send together per step: both directions of every exchange. */
  public double bytesSentByAll() {
    return 2 * totalBytes();
  }

  /** Level Hh's choices as bits, one per layer: 0 = data parallel, 1 = model parallel. */
  public String bits(int h) {
    StringBuilder sb = new StringBuilder();
    for (Choice c : levels.get(h - 1)) {
      sb.append(c.bit());
    }
    return sb.toString();
  }

  public List<String> allBits() {
    List<String> out = new ArrayList<>();
    for (int h = 1; h <= depth(); h++) {
      out.add(bits(h));
    }
    return out;
  }
}
