package dev.ferry.bench.live;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * The drawing pieces the benchmarks' charts share (the live-migration matrix and the evacuation
 * run): a white, antialiased canvas, a value axis (linear with round steps, or log by decades), the scale that maps a value to
 * pixels on it, and the dashed line that marks a limit. Java2D only, no dependencies.
 */
public final class ChartKit {
    private ChartKit() {}

    /** Graphics on {@code img} with antialiased shapes and text, the whole image filled white. */
    public static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    public static void axis(Graphics2D g, int px, int py, int pw, int ph, double bottom, double top, boolean log) {
        g.setColor(Color.GRAY);
        g.drawLine(px, py, px, py + ph);
        g.drawLine(px, py + ph, px + pw, py + ph);
        if (log) {
            for (double v = bottom; v <= top * 1.001; v *= 10) tick(g, px, py + ph - scale(v, bottom, top, ph, true), v, true);
        } else {
            double step = niceStep(top / 5);
            for (double v = 0; v <= top; v += step) tick(g, px, py + ph - scale(v, bottom, top, ph, false), v, false);
        }
    }

    private static void tick(Graphics2D g, int px, int y, double v, boolean log) {
        g.setColor(Color.GRAY);
        g.drawLine(px - 4, y, px, y);
        g.drawString(log && v < 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v), px - 40, y + 4);
    }

    public static void dashed(Graphics2D g, int x1, int x2, int y) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        g.drawLine(x1, y, x2, y);
        g.setStroke(new BasicStroke(1f));
    }

    public static int scale(double v, double bottom, double top, int ph, boolean log) {
        if (log) {
            double c = Math.max(v, bottom);
            return (int) Math.round((Math.log10(c) - Math.log10(bottom)) / (Math.log10(top) - Math.log10(bottom)) * ph);
        }
        return (int) Math.round(Math.max(0, v - bottom) / (top - bottom) * ph);
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }
}
