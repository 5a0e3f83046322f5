package dev.weft.trainer.launch;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar redrawn in place with a carriage return. */
final class ProgressBar {

  private final PrintStream out;
  private final long total;
  private final int width = 30;
  private String last = "";

  ProgressBar(PrintStream out, long total) {
    this.out = out;
    this.total = Math.max(1, total);
  }

  void update(long done, double loss, double seconds) {
    double f = Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(f * width);
    String line =
        String.format(
            Locale.ROOT,
            "[%s%s] %3.0f%% %d/%d iterations  loss %.4f  %.0f s",
            "#".repeat(filled),
            " ".repeat(width - filled),
            100 * f,
            done,
            total,
            loss,
            seconds);
    if (!line.equals(last)) {
      out.print("\r" + line);
      out.flush();
      last = line;
    }
  }

  void end() {
    if (!last.isEmpty()) {
      out.println();
    }
  }
}
