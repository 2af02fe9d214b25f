package org.interesttracker.cluster;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The soak's samples as a PNG: one panel per figure, each over the soak's time, the warm-up left
 * out of the verdicts shaded.
 */
final class SoakPlot {
  private static final int COLUMNS = 2;
  private static final int PANEL_WIDTH = 560;
  private static final int PANEL_HEIGHT = 200;
  private static final int MARGIN = 48;
  private static final Color LINE = new Color(0x1f, 0x77, 0xb4);
  private static final Color WARM_UP = new Color(0xee, 0xee, 0xee);

  private SoakPlot() {}

  static void write(
      List<SoakSample> samples, double warmUpSeconds, List<FlatFigure> figures, Path png)
      throws IOException {
    int rows = (figures.size() + COLUMNS - 1) / COLUMNS;
    BufferedImage image =
        new BufferedImage(COLUMNS * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
    graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < figures.size(); i++) {
      Graphics2D panel =
          (Graphics2D)
              graphics.create(
                  i % COLUMNS * PANEL_WIDTH, i / COLUMNS * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT);
      drawPanel(panel, samples, warmUpSeconds, figures.get(i));
      panel.dispose();
    }
    graphics.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void drawPanel(
      Graphics2D g, List<SoakSample> samples, double warmUpSeconds, FlatFigure figure) {
    double maxSeconds = samples.stream().mapToDouble(SoakSample::seconds).max().orElse(1);
    double maxValue =
        samples.stream().mapToDouble(figure.value()).filter(Double::isFinite).max().orElse(1);
    // From zero, so that a flat line looks flat and not like noise magnified.
    double top = maxValue > 0 ? maxValue * 1.1 : 1;
    int width = PANEL_WIDTH - 2 * MARGIN;
    int height = PANEL_HEIGHT - 2 * MARGIN;
    g.setColor(WARM_UP);
    g.fillRect(MARGIN, MARGIN, (int) (warmUpSeconds / maxSeconds * width), height);
    g.setColor(Color.BLACK);
    g.drawString(figure.name() + " (" + figure.unit() + ")", MARGIN, MARGIN - 12);
    g.drawRect(MARGIN, MARGIN, width, height);
    g.drawString(label(top), 4, MARGIN + 4);
    g.drawString("0", MARGIN - 12, MARGIN + height + 4);
    g.drawString(label(maxSeconds) + " s", MARGIN + width - 30, MARGIN + height + 16);
    Path2D.Double line = new Path2D.Double();
    boolean started = false;
    for (SoakSample sample : samples) {
      double value = figure.value().applyAsDouble(sample);
      if (!Double.isFinite(value)) {
        continue;
      }
      double x = MARGIN + sample.seconds() / maxSeconds * width;
      double y = MARGIN + height - value / top * height;
      if (started) {
        line.lineTo(x, y);
      } else {
        line.moveTo(x, y);
        started = true;
      }
    }
    g.setColor(LINE);
    g.setStroke(new BasicStroke(1.5f));
    g.draw(line);
  }

  private static String label(double value) {
    return value >= 100
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }
}
