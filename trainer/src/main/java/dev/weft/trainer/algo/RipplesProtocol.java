package dev.weft.trainer.algo;

import java.util.Arrays;

/** Tags and the group encoding shared by Ripples workers and the Group Generator. */
final class RipplesProtocol {

  /** Worker -> generator: "I reached my sync point" (seq = iteration), or {@link #DONE}. */
  static final String REQUEST = "rp-req";

  /**
   * Generator -> member: a group appended to its Group Buffer (seq = group id), or {@link #END}.
   */
  static final String GROUP = "rp-grp";

  static final long DONE = -1;
  static final long END = -1;

  private RipplesProtocol() {}

  /**
   * A group: its members in ring order, and the members whose pending request it answers (the
   * requester under the random policy; everybody under the ready policy).
   */
  record Group(long id, int[] members, int[] answers) {

    float[] encode() {
      float[] f = new float[1 + answers.length + members.length];
      f[0] = answers.length;
      for (int i = 0; i < answers.length; i++) {
        f[1 + i] = answers[i];
      }
      for (int i = 0; i < members.length; i++) {
        f[1 + answers.length + i] = members[i];
      }
      return f;
    }

    static Group decode(long id, float[] f) {
      int a = (int) f[0];
      int[] answers = new int[a];
      int[] members = new int[f.length - 1 - a];
      for (int i = 0; i < a; i++) {
        answers[i] = (int) f[1 + i];
      }
      for (int i = 0; i < members.length; i++) {
        members[i] = (int) f[1 + a + i];
      }
      return new Group(id, members, answers);
    }

    boolean answers(int rank) {
      return Arrays.stream(answers).anyMatch(r -> r == rank);
    }
  }
}
