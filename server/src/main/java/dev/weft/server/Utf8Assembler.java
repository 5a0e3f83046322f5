package dev.weft.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a stream of byte pieces (one per token) into text without ever splitting a character: a
 * token may carry only the first bytes of a multi-byte UTF-8 character (byte-fallback tokens), so
 * the bytes of an incomplete trailing character are held until the rest arrives. Invalid bytes
 * become U+FFFD, as in any UTF-8 decoder. Not thread-safe: one per stream.
 */
final class Utf8Assembler {

  private byte[] pending = new byte[8];
  private int length;

  /** Appends {@code bytes}; returns the text of every character now complete. */
  String push(byte[] bytes) {
    if (length + bytes.length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + bytes.length));
    }
    System.arraycopy(bytes, 0, pending, length, bytes.length);
    length += bytes.length;
    int complete = completePrefix();
    String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
    System.arraycopy(pending, complete, pending, 0, length - complete);
    length -= complete;
    return text;
  }

  /** The text of whatever is held (an incomplete character becomes U+FFFD); empties it. */
  String flush() {
    String text = new String(pending, 0, length, StandardCharsets.UTF_8);
    length = 0;
    return text;
  }

  /**
   * Length of the longest prefix that does not end inside a character that may still complete:
   * looks back at most 3 bytes for a lead byte whose character needs more bytes than are here.
   */
  private int completePrefix() {
    for (int back = 1; back <= Math.min(3, length); back++) {
      int b = pending[length - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue; // a continuation byte: its lead is further back
      }
      int needs = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
      return needs > back ? length - back : length;
    }
    return length;
  }
}
