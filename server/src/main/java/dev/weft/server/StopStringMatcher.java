package dev.weft.server;

import java.util.List;

/**
 * Finds stop strings in streamed text. Text that could be the start of a stop string is held back
 * until the next piece shows whether it is one, so a client never receives part of a stop string.
 * Since all text already released is free of such a start, any stop string must begin in the text
 * held back. Not thread-safe: one per stream.
 */
final class StopStringMatcher {

  /** What a push released, and whether a stop string was found (the text ends before it). */
  record Result(String text, boolean stopped) {}

  private final List<String> stops;
  private final StringBuilder held = new StringBuilder();

  StopStringMatcher(List<String> stops) {
    this.stops = List.copyOf(stops);
  }

  Result push(String text) {
    if (stops.isEmpty()) {
      return new Result(text, false);
    }
    held.append(text);
    int first = -1;
    for (String stop : stops) {
      int at = held.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    if (first >= 0) {
      String released = held.substring(0, first);
      held.setLength(0);
      return new Result(released, true);
    }
    int keep = longestSuffixStartingAStop();
    String released = held.substring(0, held.length() - keep);
    held.delete(0, held.length() - keep);
    return new Result(released, false);
  }

  /** The held text: at the end of the generation it is known not to start a stop string. */
  String flush() {
    String text = held.toString();
    held.setLength(0);
    return text;
  }

  private int longestSuffixStartingAStop() {
    String text = held.toString();
    int best = 0;
    for (String stop : stops) {
      for (int n = Math.min(stop.length() - 1, text.length()); n > best; n--) {
        if (text.regionMatches(text.length() - n, stop, 0, n)) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
