package dev.kubetest.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws how heap and time grow with the number of pods, from the rows {@code HeapAndIdle} prints ("csv: ..."),
 * collected in a CSV file (default docs/scale-growth.csv), into a PNG (default docs/scale-growth.png): two
 * log-log panels, heap after GC and seconds until every pod was scheduled or tried, one line for pods left Pending on
 * one node and one for pods all Running (on 100 nodes, then 1,000).
 * Usage: {@code GrowthPlot [csv] [png]}.
 */
public final class GrowthPlot {
    private static final int W = 1000;
    private static final int H = 460;

    record Row(int pods, int nodes, int running, double createdS, double settledS, double heapMiB, double idleCores) {
        boolean allRunning() {
            return running >= pods * 0.99;
        }
    }

    private GrowthPlot() {}

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "docs/scale-growth.csv");
        Path png = Path.of(args.length > 1 ? args[1] : "docs/scale-growth.png");
        List<Row> rows = read(csv);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("KubeTest at scale: growth with the number of pods (HeapAndIdle, 2 cores)", 20, 26);
        panel(g, rows, 20, "heap after GC (MiB)", Row::heapMiB);
        panel(g, rows, W / 2 + 10, "seconds until all scheduled (Running where they fit)", Row::settledS);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
        System.out.println("wrote " + png + " from " + rows.size() + " rows of " + csv);
    }

    static List<Row> read(Path csv) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("pods")) {
                continue;
            }
            String[] f = line.split(",");
            rows.add(new Row(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()), Integer.parseInt(f[2].trim()),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])));
        }
        return rows;
    }

    private static void panel(Graphics2D g, List<Row> rows, int x0, String title, ToDoubleFunction<Row> y) {
        int left = x0 + 60;
        int top = 70;
        int width = W / 2 - 100;
        int height = H - 150;
        double minX = 500;
        double maxX = 200_000;
        double minY = Math.max(0.5, rows.stream().mapToDouble(y).min().orElse(1) / 2);
        double maxY = rows.stream().mapToDouble(y).max().orElse(10) * 2;
        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.BLACK);
        g.drawString(title, left, top - 12);
        g.drawRect(left, top, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double v = 1000; v <= maxX; v *= 10) {
            int px = (int) (left + scale(v, minX, maxX) * width);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, top, px, top + height);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,d", (long) v), px - 16, top + height + 15);
        }
        for (double v = Math.pow(10, Math.floor(Math.log10(minY))); v <= maxY; v *= 10) {
            if (v < minY) {
                continue;
            }
            int py = (int) (top + height - scale(v, minY, maxY) * height);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, py, left + width, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,.0f", v), left - 45, py + 4);
        }
        g.drawString("pods (log scale)", left + width / 2 - 40, top + height + 32);
        series(g, rows.stream().filter(r -> !r.allRunning()).toList(), y, new Color(0, 90, 200), "pending on 1 node",
                left, top, width, height, minX, maxX, minY, maxY, 0);
        series(g, rows.stream().filter(Row::allRunning).toList(), y, new Color(210, 80, 0), "all Running (100 nodes, then 1,000)",
                left, top, width, height, minX, maxX, minY, maxY, 1);
    }

    private static void series(Graphics2D g, List<Row> rows, ToDoubleFunction<Row> y, Color color, String label,
                               int left, int top, int width, int height, double minX, double maxX, double minY,
                               double maxY, int legendRow) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int lastX = -1;
        int lastY = -1;
        for (Row r : rows.stream().sorted(java.util.Comparator.comparingInt(Row::pods)).toList()) {
            int px = (int) (left + scale(r.pods(), minX, maxX) * width);
            int py = (int) (top + height - scale(y.applyAsDouble(r), minY, maxY) * height);
            g.fillOval(px - 4, py - 4, 8, 8);
            g.drawString(String.format(Locale.ROOT, "%,.0f", y.applyAsDouble(r)), px + 6, py - 6);
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, px, py);
            }
            lastX = px;
            lastY = py;
        }
        int ly = top + height + 50 + legendRow * 16;
        g.drawLine(left, ly - 4, left + 24, ly - 4);
        g.setColor(Color.BLACK);
        g.drawString(label, left + 30, ly);
    }

    private static double scale(double v, double min, double max) {
        return (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
    }
}
