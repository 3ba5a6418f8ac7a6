package org.vaelab.report;

import static org.vaelab.report.FigureLayout.AXIS_TITLE_FONT;
import static org.vaelab.report.FigureLayout.CONTOUR;
import static org.vaelab.report.FigureLayout.CONTOUR_FONT;
import static org.vaelab.report.FigureLayout.CONTOUR_TEXT;
import static org.vaelab.report.FigureLayout.FRC;
import static org.vaelab.report.FigureLayout.MARKER_SIZE;
import static org.vaelab.report.FigureLayout.MEAN_LINE;
import static org.vaelab.report.FigureLayout.PLOT_HEIGHT;
import static org.vaelab.report.FigureLayout.TEXT;
import static org.vaelab.report.FigureLayout.drawText;
import static org.vaelab.report.FigureLayout.lineHeight;
import static org.vaelab.report.FigureLayout.textWidth;

import java.awt.Graphics2D;
import java.awt.font.LineMetrics;
import java.awt.geom.AffineTransform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vaelab.report.FigureFrame.LegendEntry;

/**
 * Every run on the rate–distortion plane (Alemi et al. 2018, arXiv:1711.00464): x = rate R, y = distortion D, both
 * in nats per example, each configuration in its {@link Palette} colour and marker. Runs of different decoder
 * likelihoods ({@link RdPoint#likelihood()}) go into separate panels, one above the other, each with its own axes
 * and its own lines of constant ELBO = −(R + D): a Gaussian distortion is a different density from a Bernoulli one,
 * and on shared axes it would look tens of nats "better". For each group named in {@code joinedGroups} a dashed
 * line joins the per-label mean (R, D) in order of rate, tracing the group's R–D curve.
 */
public final class RateDistortionChart {

    /** Height of each panel when there are several likelihoods. */
    static final int PANEL_HEIGHT = 250;
    private static final int HEADING = 22;

    private RateDistortionChart() {
    }

    /** With lines of constant ELBO, each label styled on its own. */
    public static List<Path> write(String title, List<RdPoint> points, List<String> joinedGroups, Path outBase)
            throws IOException {
        return write(title, points, joinedGroups, true, null, outBase);
    }

    /**
     * Writes the figure.
     *
     * @param joinedGroups groups whose per-label means are joined by a line; each must occur in {@code points}
     * @param elboContours whether to draw the lines of constant ELBO
     * @param palette      the report's styles; null or lacking a label: styles of these labels alone
     * @param outBase      path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if there are no points or a joined group has none
     */
    public static List<Path> write(String title, List<RdPoint> points, List<String> joinedGroups,
                                   boolean elboContours, Palette palette, Path outBase) throws IOException {
        Objects.requireNonNull(title, "title");
        if (points.isEmpty()) throw new IllegalArgumentException("rate–distortion figure needs at least one run");
        Set<String> labels = new LinkedHashSet<>(), groups = new LinkedHashSet<>();
        Map<String, List<RdPoint>> byLikelihood = new LinkedHashMap<>();
        for (RdPoint p : points) {
            labels.add(p.label());
            groups.add(p.group());
            byLikelihood.computeIfAbsent(p.likelihood(), l -> new ArrayList<>()).add(p);
        }
        for (String g : joinedGroups)
            if (!groups.contains(g))
                throw new IllegalArgumentException("joined group '" + g + "' has no runs; groups are " + groups);
        Palette pal = Palette.covering(palette, labels);

        List<LegendEntry> entries = new ArrayList<>();
        for (String label : pal.labels()) if (labels.contains(label)) entries.add(LegendEntry.marker(label, pal.style(label)));
        if (!joinedGroups.isEmpty())
            entries.add(LegendEntry.line("mean of a group, by rate", MEAN_LINE, FigureLayout.meanStroke()));
        if (elboContours) entries.add(LegendEntry.line("constant ELBO (nats)", CONTOUR, FigureLayout.contourStroke()));

        boolean several = byLikelihood.size() > 1;
        int panelHeight = several ? PANEL_HEIGHT : PLOT_HEIGHT, heading = several ? HEADING : 0;
        FigureFrame frame = new FigureFrame(byLikelihood.size() * (panelHeight + heading), title, null, entries);
        List<Panel> panels = new ArrayList<>();
        for (var e : byLikelihood.entrySet())
            panels.add(panel(e.getKey(), e.getValue(), joinedGroups, elboContours, pal, frame.plotWidth, panelHeight));
        return FigureExport.write(outBase, frame, g -> {
            int y = frame.plotY;
            for (Panel p : panels) {
                if (several) {
                    g.setFont(AXIS_TITLE_FONT);
                    g.setColor(TEXT);
                    String h = heading(p.likelihood);
                    drawText(g, h, (frame.plotWidth - textWidth(h, AXIS_TITLE_FONT)) / 2.0,
                            y + lineHeight(AXIS_TITLE_FONT) - 2);
                    y += heading;
                }
                FigureLayout.paintChart(g, p.chart, frame.plotX, y);
                if (!p.contours.isEmpty()) labelContours(g, p.chart, frame.plotX, y, p.contours, p.obstacles);
                y += panelHeight;
            }
        });
    }

    static String heading(String likelihood) {
        return likelihood.isEmpty() ? "decoder likelihood unknown" : likelihood + " decoder";
    }

    /** One panel: its chart, its contour segments {c, rA, dA, rB, dB} and the data points labels must avoid. */
    private record Panel(String likelihood, XYChart chart, List<double[]> contours, List<double[]> obstacles) {
    }

    private static Panel panel(String likelihood, List<RdPoint> points, List<String> joinedGroups, boolean contoursOn,
                               Palette pal, int width, int height) {
        XYChart c = FigureLayout.newChart(width, height, "rate R (nats)", "distortion D (nats)");
        XYStyler st = c.getStyler();
        // Axis box from the data, padded so that markers are not cut by the frame.
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (RdPoint p : points) {
            x0 = Math.min(x0, p.rate());
            x1 = Math.max(x1, p.rate());
            y0 = Math.min(y0, p.distortion());
            y1 = Math.max(y1, p.distortion());
        }
        double px = FigureLayout.pad(x0, x1), py = FigureLayout.pad(y0, y1);
        boolean nonNegativeRate = x0 >= 0;
        x0 -= px;
        x1 += px;
        y0 -= py;
        y1 += py;
        if (nonNegativeRate && x0 < 0) x0 = 0;   // the rate is a KL divergence
        st.setXAxisMin(x0);
        st.setXAxisMax(x1);
        st.setYAxisMin(y0);
        st.setYAxisMax(y1);

        List<double[]> contours = new ArrayList<>();
        if (contoursOn) {
            double step = FigureLayout.niceStep(((x1 + y1) - (x0 + y0)) / 7);
            long first = (long) Math.ceil((x0 + y0) / step), last = (long) Math.floor((x1 + y1) / step);
            int k = 0;
            for (long i = first; i <= last && i - first < 20; i++) {
                double s = i * step;
                double rA = Math.max(x0, s - y1), rB = Math.min(x1, s - y0);
                if (rB - rA <= 1e-9 * (x1 - x0)) continue;
                XYSeries line = c.addSeries("elbo#" + k++, new double[]{rA, rB}, new double[]{s - rA, s - rB});
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(CONTOUR);
                line.setLineStyle(FigureLayout.contourStroke());
                contours.add(new double[]{s, rA, s - rA, rB, s - rB});
            }
        }

        List<double[]> obstacles = new ArrayList<>();
        for (RdPoint p : points) obstacles.add(new double[]{p.rate(), p.distortion()});
        int k = 0;
        for (String g : joinedGroups) {
            Map<String, double[]> sums = new LinkedHashMap<>();   // label → {ΣR, ΣD, n}
            for (RdPoint p : points)
                if (p.group().equals(g)) {
                    double[] s = sums.computeIfAbsent(p.label(), l -> new double[3]);
                    s[0] += p.rate();
                    s[1] += p.distortion();
                    s[2]++;
                }
            if (sums.size() < 2) continue;   // nothing to join in this panel
            List<double[]> means = new ArrayList<>();
            for (double[] s : sums.values()) means.add(new double[]{s[0] / s[2], s[1] / s[2]});
            means.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] r = new double[means.size()], d = new double[means.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = means.get(i)[0];
                d[i] = means.get(i)[1];
            }
            for (int i = 0; i + 1 < r.length; i++)
                for (int j = 1; j < 16; j++)
                    obstacles.add(new double[]{r[i] + (r[i + 1] - r[i]) * j / 16.0, d[i] + (d[i + 1] - d[i]) * j / 16.0});
            XYSeries line = c.addSeries("mean#" + k++, r, d);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(MEAN_LINE);
            line.setLineStyle(FigureLayout.meanStroke());
        }

        // One scatter series per label, in the label's colour and marker.
        Map<String, List<RdPoint>> byLabel = new LinkedHashMap<>();
        for (RdPoint p : points) byLabel.computeIfAbsent(p.label(), x -> new ArrayList<>()).add(p);
        k = 0;
        for (var e : byLabel.entrySet()) {
            List<RdPoint> ps = e.getValue();
            double[] r = new double[ps.size()], d = new double[ps.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = ps.get(i).rate();
                d[i] = ps.get(i).distortion();
            }
            XYSeries s = c.addSeries("run#" + k++, r, d);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            Palette.Style style = pal.style(e.getKey());
            s.setMarker(style.marker());
            s.setMarkerColor(FigureLayout.withAlpha(style.color(), 0.85));
        }
        return new Panel(likelihood, c, contours, obstacles);
    }

    /**
     * Writes each contour's ELBO along its line, at the place along the line farthest from every run and mean
     * line (measured on screen), so that labels never sit on data; a contour with no clear place stays unlabelled.
     */
    private static void labelContours(Graphics2D g, XYChart c, int ox, int oy, List<double[]> contours,
                                      List<double[]> obstacles) {
        List<double[]> screen = new ArrayList<>();
        for (double[] o : obstacles) screen.add(new double[]{c.getScreenXFromChart(o[0]), c.getScreenYFromChart(o[1])});
        FigureLayout.GraphicsState saved = FigureLayout.GraphicsState.of(g);
        g.translate(ox, oy);
        g.setFont(CONTOUR_FONT);
        g.setColor(CONTOUR_TEXT);
        LineMetrics lm = CONTOUR_FONT.getLineMetrics("0", FRC);
        for (double[] s : contours) {
            double ax = c.getScreenXFromChart(s[1]), ay = c.getScreenYFromChart(s[2]);
            double bx = c.getScreenXFromChart(s[3]), by = c.getScreenYFromChart(s[4]);
            double len = Math.hypot(bx - ax, by - ay);
            String text = FigureLayout.formatNumber(-s[0]);
            double w = textWidth(text, CONTOUR_FONT);
            if (len < w + 16) continue;   // a corner segment too short to carry its label
            double ux = (bx - ax) / len, uy = (by - ay) / len;
            double bestScore = -1, bestAt = 0;
            for (double at = w / 2 + 8; at <= len - w / 2 - 8; at += 4) {
                double p0x = ax + ux * (at - w / 2), p0y = ay + uy * (at - w / 2);
                double p1x = ax + ux * (at + w / 2), p1y = ay + uy * (at + w / 2);
                double score = Double.POSITIVE_INFINITY;
                for (double[] o : screen) score = Math.min(score, distanceToSegment(o, p0x, p0y, p1x, p1y));
                if (score > bestScore) {
                    bestScore = score;
                    bestAt = at;
                }
            }
            if (bestScore < MARKER_SIZE + 4) continue;
            AffineTransform along = g.getTransform();
            g.translate(ax + ux * bestAt, ay + uy * bestAt);
            g.rotate(Math.atan2(uy, ux));
            drawText(g, text, -w / 2, -lm.getDescent() - 2);
            g.setTransform(along);
        }
        saved.restore(g);
    }

    private static double distanceToSegment(double[] p, double x0, double y0, double x1, double y1) {
        double dx = x1 - x0, dy = y1 - y0;
        double len2 = dx * dx + dy * dy;
        double f = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - x0) * dx + (p[1] - y0) * dy) / len2));
        return Math.hypot(p[0] - (x0 + f * dx), p[1] - (y0 + f * dy));
    }
}
