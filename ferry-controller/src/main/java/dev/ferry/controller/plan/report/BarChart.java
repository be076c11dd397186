package dev.ferry.controller.plan.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small grouped bar chart drawn with Java2D into a headless {@link BufferedImage} and written as
 * PNG with ImageIO: panels side by side, each with a title, one group of bars per category and one
 * bar per series (e.g. predicted and measured), a linear axis from zero, and a legend. A missing
 * value (null) draws no bar. Reusable by any report that puts figures next to each other.
 */
public final class BarChart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)};
    private static final int PW = 560, PH = 340, TOP = 45, BOTTOM = 60, LEFT = 70, RIGHT = 20;

    /** One panel: title, unit, categories, and for each series its values by category. */
    public record Panel(String title, List<String> categories, List<List<Double>> values) {}

    private final List<String> series;
    private final List<Panel> panels = new ArrayList<>();

    public BarChart(List<String> series) { this.series = List.copyOf(series); }

    public BarChart panel(Panel p) {
        panels.add(p);
        return this;
    }

    public byte[] png() {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(PW * Math.max(1, panels.size()), PH + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < panels.size(); i++) draw(g, i * PW, panels.get(i));
        legend(g, PH + 5);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void draw(Graphics2D g, int x0, Panel p) {
        double max = 0;
        for (List<Double> s : p.values()) for (Double v : s) if (v != null) max = Math.max(max, v);
        double step = niceStep(Math.max(max, 1e-9) * 1.15 / 5);
        double top = Math.max(step, Math.ceil(max * 1.15 / step) * step);
        int ph = PH - TOP - BOTTOM, pw = PW - LEFT - RIGHT, px = x0 + LEFT, py = TOP;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(p.title(), x0 + 10, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.GRAY);
        g.drawLine(px, py, px, py + ph);
        g.drawLine(px, py + ph, px + pw, py + ph);
        for (double v = 0; v <= top * 1.0001; v += step) {
            int y = py + ph - (int) Math.round(v / top * ph);
            g.drawLine(px - 4, y, px, y);
            g.drawString(label(v, step), px - 45, y + 4);
        }
        int n = p.categories().size();
        double group = pw / (double) Math.max(1, n);
        double bar = group * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < n; c++) {
            double gx = px + c * group + group * 0.1;
            g.setColor(Color.BLACK);
            g.drawString(shorten(p.categories().get(c), (int) group / 7), (int) gx, py + ph + 16);
            for (int s = 0; s < series.size() && s < p.values().size(); s++) {
                Double v = c < p.values().get(s).size() ? p.values().get(s).get(c) : null;
                if (v == null) continue;
                int h = (int) Math.round(v / top * ph);
                g.setColor(COLORS[s % COLORS.length]);
                g.fillRect((int) (gx + s * bar), py + ph - h, Math.max(1, (int) bar - 3), h);
            }
        }
    }

    private void legend(Graphics2D g, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = 20;
        for (int s = 0; s < series.size(); s++) {
            g.setColor(COLORS[s % COLORS.length]);
            g.fillRect(x, y, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s), x + 20, y + 12);
            x += 160;
        }
    }

    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / mag;
        return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
    }

    private static String label(double v, double step) {
        return step < 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String shorten(String s, int max) {
        return s.length() <= Math.max(3, max) ? s : s.substring(0, Math.max(3, max) - 1) + "…";
    }
}
