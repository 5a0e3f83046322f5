package dev.weft.trainer.hypar;

import java.util.List;

/**
 * HyPar's communication model for one level: two groups of accelerators, every weighted layer data-
 * or model-parallel between them. Amounts are tensor elements that one group sends to the other
 * (the exchange is symmetric, so the other group sends as much back).
 *
 * <ul>
 *   <li>intra-layer: dp adds up weight gradients, A(ΔW_l); mp adds up partial sums, A(F_{l+1}).
 *   <li>inter-layer, from layer l to l+1, on l+1's input F_{l+1} and error E_{l+1}: dp→dp 0; dp→mp
 *       0.25·A(F)+0.25·A(E); mp→mp 0.5·A(E); mp→dp 0.5·A(E).
 * </ul>
 */
public final class CommModel {

  private CommModel() {}

  public static double intra(Part p, Choice c) {
    return c == Choice.DP ? p.weights() : p.output();
  }

  /**
   * Communication between a layer chosen {@code prev} and the next layer, whose sizes are {@code
   * next} and which is chosen {@code cur}.
   */
  public static double inter(Choice prev, Choice cur, Part next) {
    double f = next.input();
    double e = next.input();
    if (prev == Choice.DP) {
      return cur == Choice.DP ? 0 : 0.25 * f + 0.25 * e;
    }
    return 0.5 * e;
  }

  /** One level's total for the given choices, one per layer. */
  public static double level(List<Part> parts, List<Choice> choices) {
    if (parts.size() != choices.size()) {
      throw new IllegalArgumentException(
          choices.size() + " choices for " + parts.size() + " layers");
    }
    double sum = 0;
    for (int l = 0; l < parts.size(); l++) {
      sum += intra(parts.get(l), choices.get(l));
      if (l > 0) {
        sum += inter(choices.get(l - 1), choices.get(l), parts.get(l));
      }
    }
    return sum;
  }
}
