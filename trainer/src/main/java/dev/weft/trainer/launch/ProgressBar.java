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

  /**
   * Redraws the bar; {@code loss} NaN means no worker has reported one yet (a worker whose loss is
   * NaN stops instead of reporting it), shown as "-".
   */
  void update(long done, double loss, double seconds) {
    double f = Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(f * width);
    String line =
        String.format(
            Locale.ROOT,
            "[%s%s] %3.0f%% %d/%d iterations  loss %s  %.0f s",
            "#".repeat(filled),
            " ".repeat(width - filled),
            100 * f,
            done,
            total,
            Double.isNaN(loss) ? "-" : String.format(Locale.ROOT, "%.4f", loss),
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
