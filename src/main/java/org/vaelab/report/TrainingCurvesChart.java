package org.vaelab.report;

import static org.vaelab.report.FigureLayout.AXIS_TITLE_FONT;
import static org.vaelab.report.FigureLayout.LEGEND_FONT;
import static org.vaelab.report.FigureLayout.LINE_WIDTH;
import static org.vaelab.report.FigureLayout.MIN_LINE_WIDTH;
import static org.vaelab.report.FigureLayout.PANEL_HEIGHT;
import static org.vaelab.report.FigureLayout.TEXT;
import static org.vaelab.report.FigureLayout.WIDTH;
import static org.vaelab.report.FigureLayout.drawText;
import static org.vaelab.report.FigureLayout.lineHeight;
import static org.vaelab.report.FigureLayout.textWidth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.vaelab.report.Curves.Curve;
import org.vaelab.report.FigureFrame.LegendEntry;

/**
 * Training curves: the reconstruction term (distortion), the KL term (rate) and the KL weight β in force against
 * the optimiser step, one curve per configuration, in the report's {@link Palette}.
 *
 * <p>Up to {@value #MAX_CURVES_PER_PANEL} configurations share one stack of three panels with a legend. More than
 * that become small multiples: one row per group of configurations (a group larger than
 * {@value #MAX_CURVES_PER_PANEL} is split), each row three small panels (Rec, KL, β) with the x axis and each
 * column's y axis shared by all rows, the row's configurations named above it, and the reference configuration
 * (e.g. β = 1) drawn faintly in grey in every row it does not belong to.
 *
 * <p>With {@code smoothingWindow > 1} the reconstruction and KL panels draw a centred moving average over that
 * many steps over the raw per-step values in a faint tint. β is never smoothed: it is the applied weight, and
 * smoothing would blur the resets of cyclical schedules. The β axis is logarithmic when every β is positive and
 * they span more than a factor of 10.
 */
public final class TrainingCurvesChart {

    /** More configurations than this are drawn as small multiples. */
    public static final int MAX_CURVES_PER_PANEL = 8;
    /**
     * Height of one small panel (without the bottom row's axis labels). XChart maps every y value to the middle of
     * a plot less than about 80 units high, so no panel is smaller ({@link Curves#paintCurves} checks).
     */
    static final int SMALL_PANEL_HEIGHT = 104;
    private static final Color REFERENCE = new Color(0xAAAAAA);
    private static final String[] Y_TITLES = {"reconstruction (nats)", "rate KL (nats)", "KL weight β"};
    private static final String[] COLUMN_TITLES = {"Rec D (nats)", "KL R (nats)", "KL weight β"};
    private static final int X_TITLE_EXTRA = 22;

    private TrainingCurvesChart() {
    }

    /** Raw curves, each label styled on its own; see {@link #write(String, List, List, List, int, Palette, String, Path)}. */
    public static List<Path> write(String title, List<Series> rec, List<Series> kl, List<Series> beta, Path outBase)
            throws IOException {
        return write(title, rec, kl, beta, 1, null, null, outBase);
    }

    /**
     * Writes the figure.
     *
     * @param beta            the KL weight per configuration; a configuration without one (capacity, free bits)
     *                        is simply absent; may be empty
     * @param smoothingWindow moving-average window in points, ≥ 1 (1 = raw curves only)
     * @param palette         the report's styles; null or lacking a label: styles of these labels alone
     * @param reference       label drawn faintly in every small multiple for comparison; null for none
     * @param outBase         path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if rec or kl is empty, a label repeats within a list, or the window is &lt; 1
     */
    public static List<Path> write(String title, List<Series> rec, List<Series> kl, List<Series> beta,
                                   int smoothingWindow, Palette palette, String reference, Path outBase)
            throws IOException {
        Objects.requireNonNull(title, "title");
        FigureLayout.checkSeries("rec", rec);
        FigureLayout.checkSeries("kl", kl);
        if (!beta.isEmpty()) FigureLayout.checkSeries("beta", beta);
        if (smoothingWindow < 1)
            throw new IllegalArgumentException("smoothing window must be ≥ 1 step, got " + smoothingWindow);
        Set<String> labels = new LinkedHashSet<>();
        for (List<Series> panel : List.of(rec, kl, beta)) for (Series s : panel) labels.add(s.label());
        Palette p = Palette.covering(palette, labels);
        List<String> ordered = p.labels().stream().filter(labels::contains).toList();
        double[] xr = xRange(List.of(rec, kl, beta));
        List<List<Series>> data = List.of(rec, kl, beta);
        return ordered.size() <= MAX_CURVES_PER_PANEL
                ? stacked(title, data, smoothingWindow, p, ordered, xr, outBase)
                : smallMultiples(title, data, smoothingWindow, p, ordered, reference, xr, outBase);
    }

    private static List<Path> stacked(String title, List<List<Series>> data, int window, Palette p,
                                      List<String> labels, double[] xr, Path outBase) throws IOException {
        List<LegendEntry> entries = new ArrayList<>();
        for (String label : labels) entries.add(LegendEntry.line(label, p.style(label)));
        FigureFrame frame = new FigureFrame(3 * PANEL_HEIGHT + X_TITLE_EXTRA, title, note(window, null), entries);
        int[] heights = {PANEL_HEIGHT, PANEL_HEIGHT, PANEL_HEIGHT + X_TITLE_EXTRA};
        List<XYChart> panels = new ArrayList<>();
        List<List<Curve>> curves = new ArrayList<>();
        for (int q = 0; q < 3; q++) {
            List<Curve> cs = curves(data.get(q), q == 2 ? 1 : window, p, labels, null);
            boolean log = q == 2 && Curves.spansMoreThanADecade(data.get(2));
            XYChart c = panel(frame.plotWidth, heights[q], Y_TITLES[q], q == 2, xr, Curves.yExtent(cs, log), log);
            panels.add(c);
            curves.add(cs);
        }
        Curves.alignPlotLeftEdges(panels, xr[0], xr[1]);
        return FigureExport.write(outBase, frame, g -> {
            int y = frame.plotY;
            for (int q = 0; q < 3; q++) {
                XYChart c = panels.get(q);
                FigureLayout.paintChart(g, c, frame.plotX, y);
                Curves.paintCurves(g, c, frame.plotX, y, curves.get(q), c.getStyler().isYAxisLogarithmic());
                y += c.getHeight();
            }
        });
    }

    private static List<Path> smallMultiples(String title, List<List<Series>> data, int window, Palette p,
                                             List<String> labels, String reference, double[] xr, Path outBase)
            throws IOException {
        List<SmallMultiples.Row> rows = SmallMultiples.rows(p, labels, MAX_CURVES_PER_PANEL);
        String ref = reference != null && labels.contains(reference) ? reference : null;

        // Every row's panels share each column's y range (from the drawn, smoothed curves) and the x range, except
        // that Rec is shared only among rows of one decoder likelihood: a Gaussian density of continuous pixels can
        // be thousands of nats and would flatten every Bernoulli curve.
        double[][] yr = new double[3][];
        boolean[] log = new boolean[3];
        for (int q = 0; q < 3; q++) {
            log[q] = q == 2 && Curves.spansMoreThanADecade(data.get(2));
            yr[q] = Curves.yExtent(curves(data.get(q), q == 2 ? 1 : window, p, labels, null).stream()
                    .filter(c -> !c.faint()).toList(), log[q]);
        }
        Map<String, double[]> recRange = new HashMap<>();
        for (String l : labels)
            recRange.computeIfAbsent(p.likelihood(l), lik -> Curves.yExtent(curves(data.get(0), window, p,
                    labels.stream().filter(x -> p.likelihood(x).equals(lik)).toList(), null).stream()
                    .filter(c -> !c.faint()).toList(), false));
        int gap = 8, columnWidth = (WIDTH - 2 * gap) / 3;
        List<SmallMultiples.Header> headers = new ArrayList<>();
        int plotHeight = (int) Math.ceil(lineHeight(AXIS_TITLE_FONT)) + 4;
        List<Integer> rowTop = new ArrayList<>();
        List<List<XYChart>> charts = new ArrayList<>();
        List<List<List<Curve>>> rowCurves = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            SmallMultiples.Row row = rows.get(r);
            boolean bottom = r == rows.size() - 1;
            SmallMultiples.Header header = SmallMultiples.flow(row, WIDTH - 2 * FigureFrame.PAD);
            headers.add(header);
            rowTop.add(plotHeight);
            plotHeight += (int) Math.ceil(header.height()) + 2;
            int h = SMALL_PANEL_HEIGHT + (bottom ? 30 + X_TITLE_EXTRA : 0);
            List<XYChart> cs = new ArrayList<>();
            List<List<Curve>> cvs = new ArrayList<>();
            for (int q = 0; q < 3; q++) {
                // No reference where it is not comparable: Rec of a row whose decoder likelihood differs from it.
                boolean comparable = ref == null || q != 0
                        || row.labels().stream().allMatch(l -> p.likelihood(l).equals(p.likelihood(ref)));
                String extra = ref == null || row.labels().contains(ref) || !comparable ? null : ref;
                cvs.add(curves(data.get(q), q == 2 ? 1 : window, p, row.labels(), extra));
                String lik = p.likelihood(row.labels().get(0));
                boolean oneLikelihood = row.labels().stream().allMatch(l -> p.likelihood(l).equals(lik));
                double[] range = q == 0 && oneLikelihood && recRange.size() > 1 ? recRange.get(lik) : yr[q];
                XYChart c = panel(columnWidth, h, null, bottom, xr, range, log[q]);
                c.getStyler().setXAxisTitleColor(new Color(0, 0, 0, 0));
                c.getStyler().setXAxisTicksVisible(bottom);
                // Narrow panels: compact step labels (2k, 4k), closer together than XChart's default.
                c.getStyler().setXAxisTickMarkSpacingHint(36);
                c.getStyler().setxAxisTickLabelsFormattingFunction(TrainingCurvesChart::compact);
                cs.add(c);
            }
            charts.add(cs);
            rowCurves.add(cvs);
            plotHeight += h + 6;
        }
        for (int q = 0; q < 3; q++) {
            List<XYChart> column = new ArrayList<>();
            for (List<XYChart> cs : charts) column.add(cs.get(q));
            Curves.alignPlotLeftEdges(column, xr[0], xr[1]);
        }
        FigureFrame frame = new FigureFrame(plotHeight, title, note(window, ref), List.of());
        return FigureExport.write(outBase, frame, g -> {
            g.setFont(AXIS_TITLE_FONT);
            g.setColor(TEXT);
            double base = frame.plotY + lineHeight(AXIS_TITLE_FONT) - 4;
            for (int q = 0; q < 3; q++) {
                double cx = q * (columnWidth + gap) + columnWidth / 2.0;
                drawText(g, COLUMN_TITLES[q], cx - textWidth(COLUMN_TITLES[q], AXIS_TITLE_FONT) / 2, base);
            }
            for (int r = 0; r < rows.size(); r++) {
                int top = frame.plotY + rowTop.get(r);
                SmallMultiples.paintHeader(g, headers.get(r), p, false, FigureFrame.PAD, top);
                int y = top + (int) Math.ceil(headers.get(r).height()) + 2;
                for (int q = 0; q < 3; q++) {
                    XYChart c = charts.get(r).get(q);
                    int x = q * (columnWidth + gap);
                    FigureLayout.paintChart(g, c, x, y);
                    Curves.paintCurves(g, c, x, y, rowCurves.get(r).get(q), log[q]);
                    if (r == rows.size() - 1) paintXTitle(g, c, x, y, xr);
                }
            }
        });
    }

    /**
     * The x-axis title centred under the panel's plot frame, but never past the panel's right edge: with wide y labels
     * (thousands of nats) the plot frame is narrower than the title, which XChart then let run into the next column.
     * So XChart keeps the title's space (drawn transparent) and the title is drawn here.
     */
    private static void paintXTitle(Graphics2D g, XYChart c, int x, int y, double[] xr) {
        String t = c.getXAxisTitle();
        double w = textWidth(t, AXIS_TITLE_FONT);
        double centre = Math.min(x + (c.getScreenXFromChart(xr[0]) + c.getScreenXFromChart(xr[1])) / 2,
                x + c.getWidth() - c.getStyler().getChartPadding() - w / 2);
        g.setFont(AXIS_TITLE_FONT);
        g.setColor(TEXT);
        double baseline = y + c.getHeight() - c.getStyler().getChartPadding()
                - AXIS_TITLE_FONT.getLineMetrics(t, FigureLayout.FRC).getDescent();
        drawText(g, t, centre - w / 2, baseline);
    }

    private static String note(int window, String reference) {
        String s = window > 1 ? "Rec and KL: centred moving average over " + window
                + " steps (faint: every step). β: as applied." : "";
        if (reference != null) s += (s.isEmpty() ? "" : " ") + "Grey: " + reference
                + " in every row, for reference (not in Rec where the decoder likelihood differs).";
        return s.isEmpty() ? null : s;
    }

    /** The curves of {@code labels} in palette order (faint raw ones first), plus {@code extra} in grey. */
    private static List<Curve> curves(List<Series> series, int window, Palette p, List<String> labels, String extra) {
        BasicStroke faint = new BasicStroke(MIN_LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        List<Curve> out = new ArrayList<>();
        for (Series s : series)
            if (s.label().equals(extra))
                out.add(new Curve(s.x(), window > 1 ? Curves.movingAverage(s.y(), window) : s.y(), REFERENCE,
                        new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND), false));
        List<Series> mine = new ArrayList<>();
        for (String l : labels) for (Series s : series) if (s.label().equals(l)) mine.add(s);
        if (window > 1)
            for (Series s : mine)
                out.add(new Curve(s.x(), s.y(), FigureLayout.tint(p.style(s.label()).color(), 0.22), faint, true));
        for (Series s : mine) {
            Palette.Style st = p.style(s.label());
            out.add(new Curve(s.x(), window > 1 ? Curves.movingAverage(s.y(), window) : s.y(), st.color(),
                    st.stroke(LINE_WIDTH), false));
        }
        return out;
    }

    /**
     * A panel whose axes span the given ranges. XChart only gets an invisible series for the axes; the curves are
     * drawn over it as one path each ({@link Curves#paintCurves}), since XChart draws a line as one SVG element per
     * segment. Its values are unevenly spaced: XChart puts ticks only on equally spaced data values.
     */
    private static XYChart panel(int width, int height, String yTitle, boolean xTitle, double[] xr, double[] yr,
                                 boolean log) {
        // A log axis labels only powers of ten: reach the decades around the data, so at least two are shown.
        if (log) yr = new double[]{Math.pow(10, Math.floor(Math.log10(yr[0]) + 1e-9)),
                Math.pow(10, Math.ceil(Math.log10(yr[1]) - 1e-9))};
        XYChart c = FigureLayout.newChart(width, height, "optimiser step", yTitle == null ? " " : yTitle);
        XYStyler st = c.getStyler();
        st.setXAxisTitleVisible(xTitle);
        st.setYAxisTitleVisible(yTitle != null);
        st.setYAxisLogarithmic(log);
        XYSeries extent = c.addSeries("extent", new double[]{xr[0], xr[1], xr[0] + (xr[1] - xr[0]) / 3},
                new double[]{yr[0], yr[1], yr[0] + (yr[1] - yr[0]) / 3});
        extent.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        extent.setMarker(SeriesMarkers.NONE);
        st.setXAxisMin(xr[0]);
        st.setXAxisMax(xr[1]);
        st.setYAxisMin(yr[0]);
        st.setYAxisMax(yr[1]);
        return c;
    }

    /** A step count in few characters: 500, 2k, 2.5k, 1.2M. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) return trim(v / 1e6) + "M";
        if (a >= 1e3) return trim(v / 1e3) + "k";
        return trim(v);
    }

    private static String trim(double v) {
        return new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.1f", v)).stripTrailingZeros().toPlainString();
    }

    private static double[] xRange(List<List<Series>> panels) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        for (List<Series> panel : panels)
            for (Series s : panel)
                for (double x : s.x())
                    if (Double.isFinite(x)) {
                        xMin = Math.min(xMin, x);
                        xMax = Math.max(xMax, x);
                    }
        if (!(xMin <= xMax)) throw new IllegalArgumentException("training curves have no finite step values");
        return xMin == xMax ? new double[]{xMin - 0.5, xMax + 0.5} : new double[]{xMin, xMax};
    }
}
