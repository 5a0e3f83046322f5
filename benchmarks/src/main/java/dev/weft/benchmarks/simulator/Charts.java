package dev.weft.benchmarks.simulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A minimal line chart (Java2D) for the exploration report. */
final class Charts {

  record Series(String title, String xLabel, List<double[]> points) {}

  private Charts() {}

  static void line(Path file, Series s) throws IOException {
    int w = 560;
    int h = 360;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double maxX = 0;
    double maxY = 0;
    for (double[] p : s.points()) {
      maxX = Math.max(maxX, p[0]);
      maxY = Math.max(maxY, p[1]);
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    int left = 70;
    int right = w - 20;
    int top = 40;
    int bottom = h - 50;
    g.setColor(Color.BLACK);
    g.drawString(s.title(), left, 20);
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    g.drawString(s.xLabel(), (left + right) / 2, h - 15);
    for (int t = 0; t <= 4; t++) {
      int y = bottom - (bottom - top) * t / 4;
      g.drawString(String.format(Locale.ROOT, "%.0f", maxY * t / 4), 5, y + 4);
    }
    g.setColor(new Color(0, 90, 200));
    g.setStroke(new BasicStroke(2));
    int px = -1;
    int py = -1;
    for (double[] p : s.points()) {
      int x = left + (int) ((right - left) * p[0] / maxX);
      int y = bottom - (int) ((bottom - top) * p[1] / maxY);
      g.fillOval(x - 4, y - 4, 8, 8);
      g.drawString(String.format(Locale.ROOT, "%.0f", p[0]), x - 8, bottom + 15);
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      }
      px = x;
      py = y;
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
