package dev.weft.trainer.metrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/** Draws training loss against wall time, one line per worker, as a PNG (plain Java2D). */
public final class LossChart {

  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
  };

  private LossChart() {}

  public static void write(List<IterationRecord> records, String title, Path png)
      throws IOException {
    Map<String, List<IterationRecord>> byWorker = new java.util.LinkedHashMap<>();
    new TreeMap<>(records.stream().collect(Collectors.groupingBy(IterationRecord::rank)))
        .forEach((rank, rs) -> byWorker.put("worker " + rank, rs));
    writeSeries(byWorker, title, png);
  }

  /** One line per labelled series (e.g. one per algorithm), in the map's order. */
  public static void writeSeries(Map<String, List<IterationRecord>> series, String title, Path png)
      throws IOException {
    writeSeries(series, title, "training loss", 10, png);
  }

  /**
   * One line per labelled series of {@link IterationRecord#loss()} values plotted as {@code
   * yLabel}, each a moving average over {@code smooth} points (1: as they are).
   */
  public static void writeSeries(
      Map<String, List<IterationRecord>> series, String title, String yLabel, int smooth, Path png)
      throws IOException {
    List<IterationRecord> records = series.values().stream().flatMap(List::stream).toList();
    System.setProperty("java.awt.headless", "true");
    int w = 900;
    int h = 560;
    int left = 70;
    int right = 130;
    int top = 40;
    int bottom = 50;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double maxT = records.stream().mapToDouble(IterationRecord::wallSeconds).max().orElse(1);
    double maxL = records.stream().mapToDouble(IterationRecord::loss).max().orElse(1);
    maxT = Math.max(maxT, 1e-3);
    maxL = Math.max(maxL, 1e-3);
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(left, top, pw, ph);
    for (int i = 0; i <= 5; i++) {
      int x = left + pw * i / 5;
      int y = top + ph - ph * i / 5;
      g.drawString(String.format(Locale.ROOT, "%.1f", maxT * i / 5), x - 10, top + ph + 18);
      g.drawString(String.format(Locale.ROOT, "%.2f", maxL * i / 5), left - 45, y + 4);
    }
    g.drawString("wall time (s)", left + pw / 2 - 30, h - 10);
    g.drawString(yLabel, 5, top - 10);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left + 10, top - 15);
    g.setStroke(new BasicStroke(1.2f));
    int legend = 0;
    for (var e : series.entrySet()) {
      Color c = COLORS[legend % COLORS.length];
      g.setColor(c);
      List<IterationRecord> rs = e.getValue();
      // A moving average keeps noisy lines readable.
      double acc = 0;
      int px = -1;
      int py = -1;
      for (int i = 0; i < rs.size(); i++) {
        acc += rs.get(i).loss();
        if (i >= smooth) {
          acc -= rs.get(i - smooth).loss();
        }
        double mean = acc / Math.min(i + 1, smooth);
        int x = left + (int) (pw * rs.get(i).wallSeconds() / maxT);
        int y = top + ph - (int) (ph * Math.min(mean, maxL) / maxL);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.fillRect(w - right + 15, top + 10 + legend * 18, 12, 12);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(e.getKey(), w - right + 32, top + 21 + legend * 18);
      legend++;
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }
}
