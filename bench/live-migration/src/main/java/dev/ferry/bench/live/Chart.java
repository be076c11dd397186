package dev.ferry.bench.live;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the run as a PNG with Java2D (no dependencies): one row per link, on the left the total
 * time of each policy per workload on a log scale with the cell's physical limit as a black bar
 * (and 1.2x of it dashed), on the right the downtime against the maximum. A migration that did
 * not converge is drawn hollow up to where it was stopped and marked "x".
 */
final class Chart {
    static final List<String> POLICIES = List.of("ferry", "qemu-defaults", "nova-like");
    static final Color[] COLORS = {new Color(0x2ca02c), new Color(0x1f77b4), new Color(0xff7f0e)};
    private static final int PW = 640, PH = 360, TOP = 50, BOTTOM = 70, LEFT = 70, RIGHT = 20;

    private Chart() {}

    static void write(ResultsFile.BenchRun run, Path png) throws IOException {
        Set<String> links = new LinkedHashSet<>();
        run.outcomes().forEach(o -> links.add(o.link()));
        BufferedImage img = new BufferedImage(PW * 2, PH * Math.max(1, links.size()) + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = ChartKit.canvas(img);
        int y = 0;
        for (String link : links) {
            List<Outcome> rows = run.outcomes().stream().filter(o -> o.link().equals(link)).toList();
            panel(g, 0, y, link + ": total time (s, log scale); black = physical limit, dashed = 1.2x", rows, true,
                    o -> o.totalMs() / 1000.0, run.maxDowntimeMs());
            panel(g, PW, y, link + ": downtime (ms); dashed = " + run.maxDowntimeMs() + " ms maximum", rows, false,
                    o -> o.downtimeMs() == null ? 0 : o.downtimeMs(), run.maxDowntimeMs());
            y += PH;
        }
        legend(g, y + 10);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, int x0, int y0, String title, List<Outcome> rows, boolean log,
                              ToDoubleFunction<Outcome> value, long maxDowntimeMs) {
        List<String> workloads = rows.stream().map(Outcome::workload).distinct().toList();
        double max = rows.stream().mapToDouble(value).max().orElse(1);
        if (log) max = Math.max(max, rows.stream().mapToDouble(o -> o.physicalLimitMs() / 1000 * 1.2).max().orElse(1));
        else max = Math.max(max, maxDowntimeMs);
        double top = log ? Math.pow(10, Math.ceil(Math.log10(max * 1.05))) : max * 1.15;
        double bottom = log ? 0.1 : 0;
        int ph = PH - TOP - BOTTOM, pw = PW - LEFT - RIGHT, px = x0 + LEFT, py = y0 + TOP;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, x0 + 10, y0 + 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        ChartKit.axis(g, px, py, pw, ph, bottom, top, log);
        double group = pw / (double) Math.max(1, workloads.size());
        double bar = group * 0.8 / POLICIES.size();
        for (int w = 0; w < workloads.size(); w++) {
            String wl = workloads.get(w);
            double gx = px + w * group + group * 0.1;
            g.setColor(Color.BLACK);
            g.drawString(wl, (int) (gx), py + ph + 18);
            for (int p = 0; p < POLICIES.size(); p++) {
                String policy = POLICIES.get(p);
                Outcome o = rows.stream().filter(r -> r.workload().equals(wl) && r.policy().equals(policy)).findFirst().orElse(null);
                if (o == null) continue;
                int bx = (int) (gx + p * bar), bw = (int) bar - 3;
                int h = ChartKit.scale(value.applyAsDouble(o), bottom, top, ph, log);
                g.setColor(COLORS[p]);
                if (o.converged()) g.fillRect(bx, py + ph - h, bw, h);
                else if (log) g.drawRect(bx, py + ph - h, bw, h);
                if (!o.converged()) {
                    g.setColor(Color.RED);
                    g.drawString("x", bx + bw / 2 - 3, py + ph - h - 4);
                }
            }
            if (log) limitMarks(g, rows, wl, gx, group, bottom, top, ph, py);
        }
        if (!log) ChartKit.dashed(g, px, px + pw, py + ph - ChartKit.scale(maxDowntimeMs, bottom, top, ph, false));
    }

    private static void limitMarks(Graphics2D g, List<Outcome> rows, String wl, double gx, double group, double bottom, double top,
                                   int ph, int py) {
        Outcome any = rows.stream().filter(r -> r.workload().equals(wl) && r.nonZeroBytes() > 0).findFirst().orElse(null);
        if (any == null) return;
        double limit = any.physicalLimitMs() / 1000;
        int x1 = (int) gx - 2, x2 = (int) (gx + group * 0.8);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(2.5f));
        int yl = py + ph - ChartKit.scale(limit, bottom, top, ph, true);
        g.drawLine(x1, yl, x2, yl);
        g.setStroke(new BasicStroke(1f));
        ChartKit.dashed(g, x1, x2, py + ph - ChartKit.scale(limit * Targets.LIMIT_FACTOR, bottom, top, ph, true));
    }

    private static void legend(Graphics2D g, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = 20;
        for (int p = 0; p < POLICIES.size(); p++) {
            g.setColor(COLORS[p]);
            g.fillRect(x, y, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(POLICIES.get(p), x + 20, y + 12);
            x += 160;
        }
        g.setColor(Color.RED);
        g.drawString("x = did not converge (hollow bar: stopped or aborted after that long)", x, y + 12);
    }
}
