package dev.weft.cli.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Latency CDFs, live against simulated, one panel per metric, as a PNG (Java2D). */
final class CdfChart {

  record Panel(String title, double[] live, double[] simulated) {}

  private static final int W = 420;
  private static final int H = 320;
  private static final int PAD = 50;

  private CdfChart() {}

  static void write(Path file, String heading, List<Panel> panels) {
    BufferedImage img = new BufferedImage(W * panels.size(), H + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(heading, 10, 20);
    for (int i = 0; i < panels.size(); i++) {
      draw(g, i * W, 30, panels.get(i));
    }
    g.dispose();
    try {
      ImageIO.write(img, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void draw(Graphics2D g, int x0, int y0, Panel p) {
    double max = 0;
    for (double v : p.live()) {
      max = Math.max(max, v);
    }
    for (double v : p.simulated()) {
      max = Math.max(max, v);
    }
    max = max <= 0 ? 1 : max * 1.05;
    int left = x0 + PAD;
    int right = x0 + W - 15;
    int top = y0 + 20;
    int bottom = y0 + H - 40;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(p.title() + " (ms)", left, y0 + 12);
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    for (int t = 0; t <= 4; t++) {
      int x = left + (right - left) * t / 4;
      g.drawString(String.format(Locale.ROOT, "%.0f", max * t / 4), x - 10, bottom + 15);
      int y = bottom - (bottom - top) * t / 4;
      g.drawString(String.format(Locale.ROOT, "%.2f", t / 4.0), x0 + 10, y + 4);
    }
    curve(g, p.live(), max, left, right, top, bottom, new Color(0, 90, 200), false);
    curve(g, p.simulated(), max, left, right, top, bottom, new Color(220, 80, 0), true);
    g.setColor(new Color(0, 90, 200));
    g.drawString("live", right - 80, top + 20);
    g.setColor(new Color(220, 80, 0));
    g.drawString("simulated", right - 80, top + 36);
  }

  private static void curve(
      Graphics2D g,
      double[] values,
      double max,
      int left,
      int right,
      int top,
      int bottom,
      Color c,
      boolean dashed) {
    if (values.length == 0) {
      return;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    g.setColor(c);
    g.setStroke(
        dashed
            ? new BasicStroke(
                2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
            : new BasicStroke(2));
    int px = left;
    int py = bottom;
    for (int i = 0; i < v.length; i++) {
      int x = left + (int) ((right - left) * v[i] / max);
      int y = bottom - (int) ((bottom - top) * (i + 1.0) / v.length);
      g.drawLine(px, py, x, py);
      g.drawLine(x, py, x, y);
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1));
  }
}
