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
import javax.imageio.ImageIO;

/**
 * Lines through (x, y) points as a PNG (plain Java2D), e.g. accuracy against time or time against
 * workers. A series whose label ends in {@code (sim)} is drawn dashed in the colour of the series
 * before it, so a real run and its simulation read as a pair.
 */
public final class PointChart {

  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b)
  };

  /** A chart's axes: labels, ranges, and an optional horizontal guide (NaN: none). */
  public record Axes(
      String x, String y, double xMin, double xMax, double yMin, double yMax, double guideY) {}

  private PointChart() {}

  public static void write(Map<String, List<double[]>> series, String title, Axes a, Path png)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int w = 900;
    int h = 540;
    int left = 70;
    int right = 210;
    int top = 40;
    int bottom = 50;
    int pw = w - left - right;
    int ph = h - top - bottom;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(left, top, pw, ph);
    for (int i = 0; i <= 5; i++) {
      g.drawString(
          String.format(Locale.ROOT, "%.3g", a.xMin() + (a.xMax() - a.xMin()) * i / 5),
          left + pw * i / 5 - 10,
          top + ph + 18);
      g.drawString(
          String.format(Locale.ROOT, "%.3g", a.yMin() + (a.yMax() - a.yMin()) * i / 5),
          left - 50,
          top + ph - ph * i / 5 + 4);
    }
    g.drawString(a.x(), left + pw / 2 - 30, h - 10);
    g.drawString(a.y(), 5, top - 10);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left + 120, top - 15);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    if (!Double.isNaN(a.guideY())) {
      g.setColor(Color.GRAY);
      int y = top + ph - (int) (ph * (a.guideY() - a.yMin()) / (a.yMax() - a.yMin()));
      g.drawLine(left, y, left + pw, y);
    }
    int index = -1;
    int row = 0;
    for (var e : series.entrySet()) {
      boolean sim = e.getKey().endsWith("(sim)");
      if (!sim || index < 0) {
        index++;
      }
      Color c = COLORS[index % COLORS.length];
      g.setColor(c);
      g.setStroke(
          sim
              ? new BasicStroke(
                  1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
              : new BasicStroke(1.6f));
      int px = -1;
      int py = -1;
      for (double[] p : e.getValue()) {
        int x = left + (int) (pw * (p[0] - a.xMin()) / (a.xMax() - a.xMin()));
        double yc = Math.max(a.yMin(), Math.min(a.yMax(), p[1]));
        int y = top + ph - (int) (ph * (yc - a.yMin()) / (a.yMax() - a.yMin()));
        g.fillOval(x - 2, y - 2, 5, 5);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.drawLine(w - right + 12, top + 16 + row * 18, w - right + 32, top + 16 + row * 18);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), w - right + 38, top + 20 + row * 18);
      row++;
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }
}
