import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Renders results.csv of the disk transfer benchmark as a PNG (Java2D, no dependencies): for each
 * link rate one row of two panels, transfer time and bytes on the wire a->b, with one bar per
 * method for each image. Run as a single-file program: java Chart.java results.csv chart.png
 */
public class Chart {
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
            new Color(0xd62728), new Color(0x8c564b)};

    public static void main(String[] args) throws Exception {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        for (String l : lines.subList(1, lines.size())) rows.add(l.split(","));
        Set<String> links = new LinkedHashSet<>(), images = new LinkedHashSet<>(), methods = new LinkedHashSet<>();
        for (String[] r : rows) { links.add(r[0]); images.add(r[1]); methods.add(r[2]); }
        int pw = 620, ph = 380;
        BufferedImage img = new BufferedImage(pw * 2, ph * links.size() + 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int row = 0;
        for (String link : links) {
            for (int panel = 0; panel < 2; panel++) {
                Map<String, Map<String, Double>> v = new LinkedHashMap<>();
                for (String[] r : rows) {
                    if (!r[0].equals(link)) continue;
                    double value = panel == 0 ? Double.parseDouble(r[3]) : Long.parseLong(r[6]) / 1048576.0;
                    v.computeIfAbsent(r[1], k -> new LinkedHashMap<>()).put(r[2], value);
                }
                String title = (panel == 0 ? "transfer time (s)" : "bytes on the wire a\u2192b (MiB)") + " \u2014 link " + link;
                panel(g, panel * pw, row * ph, pw, ph, title, v, new ArrayList<>(images), new ArrayList<>(methods));
            }
            row++;
        }
        int x = 20, y = ph * links.size() + 25;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int i = 0;
        for (String m : methods) {
            g.setColor(COLORS[i++ % COLORS.length]);
            g.fillRect(x, y, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(m, x + 20, y + 12);
            x += 30 + g.getFontMetrics().stringWidth(m);
        }
        ImageIO.write(img, "png", new File(args[1]));
    }

    static void panel(Graphics2D g, int ox, int oy, int w, int h, String title, Map<String, Map<String, Double>> v,
                      List<String> images, List<String> methods) {
        int left = ox + 60, right = ox + w - 20, top = oy + 40, bottom = oy + h - 40;
        double max = 0;
        for (Map<String, Double> m : v.values()) for (double d : m.values()) max = Math.max(max, d);
        max = niceCeil(max);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, oy + 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int t = 0; t <= 5; t++) {
            int y = bottom - (int) ((bottom - top) * t / 5.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = fmt(max * t / 5);
            g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        int groups = images.size();
        double gw = (right - left) / (double) groups;
        for (int gi = 0; gi < groups; gi++) {
            Map<String, Double> m = v.getOrDefault(images.get(gi), Map.of());
            double bw = gw * 0.8 / methods.size();
            for (int mi = 0; mi < methods.size(); mi++) {
                Double d = m.get(methods.get(mi));
                if (d == null) continue;
                int x = (int) (left + gi * gw + gw * 0.1 + mi * bw);
                int bh = (int) ((bottom - top) * d / max);
                g.setColor(COLORS[mi % COLORS.length]);
                g.fillRect(x, bottom - bh, (int) bw - 3, bh);
                g.setColor(Color.BLACK);
                String label = fmt(d);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                g.drawString(label, x + (int) (bw - 3 - g.getFontMetrics().stringWidth(label)) / 2, bottom - bh - 3);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            String label = images.get(gi) + " allocated";
            g.drawString(label, (int) (left + gi * gw + (gw - g.getFontMetrics().stringWidth(label)) / 2), bottom + 20);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
    }

    static double niceCeil(double x) {
        if (x <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= x) return m * p;
        return 10 * p;
    }

    static String fmt(double d) { return d >= 100 ? String.format("%.0f", d) : d >= 10 ? String.format("%.1f", d) : String.format("%.2f", d); }
}
