package dev.ferry.bench.evacuation;

import dev.ferry.bench.live.ChartKit;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws {@code results/chart.png}, one row per link: on the left the wall time of the evacuation and
 * of the serial run beside the lower bound (dashed: the 1.2x target), on the right a timeline of
 * every move of both runs, which shows how much the plan overlapped. Uses the live bench's
 * {@link ChartKit} for axes, scales and limit lines.
 */
final class Chart {
    private static final int PW = 560, TW = 720, PH = 380, TOP = 50, BOTTOM = 50, LEFT = 70, RIGHT = 20;
    private static final Color BOUND = new Color(0x7f7f7f), EVAC = new Color(0x2ca02c), SERIAL = new Color(0x1f77b4);

    private Chart() {}

    static void write(BenchRun run, Path png) throws IOException {
        BufferedImage img = new BufferedImage(PW + TW, PH * Math.max(1, run.links().size()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = ChartKit.canvas(img);
        int y = 0;
        for (LinkResult l : run.links()) {
            bars(g, 0, y, l);
            timeline(g, PW, y, l);
            y += PH;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void bars(Graphics2D g, int x0, int y0, LinkResult l) {
        double bound = l.lowerBoundMs() / 1000;
        double evac = l.evacuation() == null ? 0 : l.evacuation().wallMs() / 1000.0;
        double serial = l.serial() == null ? 0 : l.serial().wallMs() / 1000.0;
        double top = Math.max(Math.max(evac, serial), bound * Target.FACTOR) * 1.15;
        int ph = PH - TOP - BOTTOM, pw = PW - LEFT - RIGHT, px = x0 + LEFT, py = y0 + TOP;
        title(g, x0, y0, l.link() + ": wall time to empty host-a (s); dashed = " + Target.FACTOR + "x lower bound");
        ChartKit.axis(g, px, py, pw, ph, 0, top, false);
        String[] names = {"lower bound", "evacuation", "serial"};
        double[] values = {bound, evac, serial};
        Color[] colors = {BOUND, EVAC, SERIAL};
        double slot = pw / 3.0;
        for (int i = 0; i < 3; i++) {
            int h = ChartKit.scale(values[i], 0, top, ph, false);
            int bx = (int) (px + i * slot + slot * 0.2), bw = (int) (slot * 0.6);
            g.setColor(colors[i]);
            g.fillRect(bx, py + ph - h, bw, h);
            g.setColor(Color.BLACK);
            g.drawString(names[i], bx, py + ph + 16);
            g.drawString(String.format(Locale.ROOT, "%.1f s", values[i]), bx, py + ph - h - 4);
        }
        ChartKit.dashed(g, px, px + pw, py + ph - ChartKit.scale(bound * Target.FACTOR, 0, top, ph, false));
    }

    private static void timeline(Graphics2D g, int x0, int y0, LinkResult l) {
        List<Move> evac = l.evacuation() == null ? List.of() : l.evacuation().moves();
        List<Move> serial = l.serial() == null ? List.of() : l.serial().moves();
        long end = Math.max(l.evacuation() == null ? 1 : l.evacuation().wallMs(), l.serial() == null ? 1 : l.serial().wallMs());
        int rows = Math.max(1, evac.size() + serial.size());
        int labels = 150;
        int ph = PH - TOP - BOTTOM, pw = TW - labels - RIGHT, px = x0 + labels, py = y0 + TOP;
        title(g, x0, y0, l.link() + ": each move over time (s); green = evacuation, blue = serial; | = lower bound");
        g.setColor(Color.GRAY);
        g.drawLine(px, py + ph, px + pw, py + ph);
        double step = Math.max(1, Math.ceil(end / 1000.0 / 8));
        for (double s = 0; s * 1000 <= end; s += step) {
            int x = px + ChartKit.scale(s * 1000, 0, end, pw, false);
            g.drawLine(x, py + ph, x, py + ph + 4);
            g.drawString(String.format(Locale.ROOT, "%.0f", s), x - 4, py + ph + 16);
        }
        double rh = ph / (double) rows;
        int r = 0;
        for (List<Move> run : List.of(evac, serial)) {
            for (Move m : run) {
                int bx = px + ChartKit.scale(m.startMs(), 0, end, pw, false);
                int bw = Math.max(2, ChartKit.scale(m.endMs() - m.startMs(), 0, end, pw, false));
                int by = (int) (py + r * rh + rh * 0.15);
                g.setColor(run == evac ? EVAC : SERIAL);
                if (m.succeeded()) g.fillRect(bx, by, bw, (int) (rh * 0.7));
                else g.drawRect(bx, by, bw, (int) (rh * 0.7));
                g.setColor(Color.BLACK);
                g.drawString(m.vm() + " -> " + m.to(), x0 + 4, by + (int) (rh * 0.5));
                r++;
            }
        }
        int xb = px + ChartKit.scale(l.lowerBoundMs(), 0, end, pw, false);
        g.setColor(Color.BLACK);
        g.drawLine(xb, py, xb, py + ph);
    }

    private static void title(Graphics2D g, int x0, int y0, String text) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(text, x0 + 10, y0 + 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    }
}
