package org.vaelab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.VectorHints;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

/**
 * The report's figures, drawn with XChart and written as PNG, SVG and PDF, sized for one column of a paper.
 *
 * <p>Every figure has the same frame: a title band, the plot(s), and a legend in a column of its own to the
 * right of the plots (or, if the labels are too long or too many for that, in rows below them), so the legend
 * never covers data. Colours follow the Okabe–Ito colour-blind-safe palette and are assigned to labels in order
 * of first appearance: pass configurations in the same order to every figure and each keeps its colour.
 *
 * <p>Sizes are in logical units, {@link #WIDTH} wide, chosen for a figure printed {@link #PRINT_WIDTH_INCHES}
 * inches (8.4 cm, one column of a two-column paper) wide: there one unit is {@link #POINTS_PER_UNIT} pt, so the
 * smallest text ({@value #MIN_FONT_SIZE} units) is at least 7 pt and the thinnest line ({@value #MIN_LINE_WIDTH}
 * unit) at least 0.5 pt. The PDF's page is that print size, so {@code \includegraphics} without a width places
 * it right; the PNG is {@value #PNG_DPI} dpi at that size ({@link #PNG_WIDTH_PX} pixels wide, tagged so in its
 * pHYs chunk); the SVG is {@link #WIDTH} user units wide. Heights vary with the legend and the title's length.
 * In the PDF, text is drawn as glyph outlines, because VectorGraphics2D writes PDF text in a non-embedded
 * Latin-1 font that has no β, σ or κ.
 *
 * <p>Rendering only reads its inputs. Each file is written to a temporary file in the target folder and then
 * moved into place atomically, so a reader never sees a half-written figure. Every function returns the
 * written paths: PNG, SVG, PDF.
 */
public final class Figures {

    /** Width at which the figures are meant to be printed: one column of a two-column paper. */
    public static final double PRINT_WIDTH_INCHES = 3.3;
    /** Width of every figure in logical units. */
    public static final int WIDTH = 450;
    /** Size of one logical unit in points when the figure is printed {@link #PRINT_WIDTH_INCHES} wide. */
    public static final double POINTS_PER_UNIT = PRINT_WIDTH_INCHES * 72 / WIDTH;
    /** Resolution of the PNG files at the print width. */
    public static final int PNG_DPI = 300;
    /** Width of the PNG files in pixels: {@link #PRINT_WIDTH_INCHES} at {@link #PNG_DPI}. */
    public static final int PNG_WIDTH_PX = (int) Math.round(PRINT_WIDTH_INCHES * PNG_DPI);
    /** Pixels of the PNG per logical unit. */
    public static final double PNG_SCALE = (double) PNG_WIDTH_PX / WIDTH;
    /** Height of the plot area of the single-panel figures ({@link #rateDistortion}, {@link #perDimensionKl}, {@link #klHeatmap}). */
    public static final int PLOT_HEIGHT = 300;
    /** Height of one panel of {@link #trainingCurves}; the bottom one is taller by the x-axis title. */
    public static final int PANEL_HEIGHT = 160;
    /** Smallest font size used anywhere, in logical units. */
    static final int MIN_FONT_SIZE = 14;
    /** Thinnest line drawn anywhere (grid, frame, ELBO contours, raw curves behind smoothed ones), in logical units. */
    static final float MIN_LINE_WIDTH = 1.0f;

    /** Okabe and Ito (2008), ordered so that the first colours are the most distinct on white; yellow last. */
    static final List<Color> PALETTE = List.of(
            new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442));
    /** After the eight colours, labels cycle through them again with these dash patterns. */
    private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}};
    private static final Marker[] GROUP_MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
            SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private static final Color TEXT = new Color(0x222222);
    private static final Color MUTED = new Color(0x666666);
    private static final Color FRAME = new Color(0x888888);
    private static final Color GRID = new Color(0xE6E6E6);
    private static final Color MEAN_LINE = new Color(0x555555);
    private static final Color CONTOUR = new Color(0xC8C8C8);
    private static final Color CONTOUR_TEXT = new Color(0x999999);

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font NOTE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    private static final Font CONTOUR_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    /** Every font, for the legibility check in the tests. */
    static final List<Font> FONTS = List.of(TITLE_FONT, NOTE_FONT, AXIS_TITLE_FONT, TICK_FONT, LEGEND_FONT,
            CONTOUR_FONT);
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    private static final float LINE_WIDTH = 2.0f;
    private static final int MARKER_SIZE = 8;

    private Figures() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. Training curves

    /**
     * Training curves without smoothing; see {@link #trainingCurves(String, List, List, List, int, Path)}.
     */
    public static List<Path> trainingCurves(String title, List<Series> rec, List<Series> kl, List<Series> beta,
                                            Path outBase) throws IOException {
        return trainingCurves(title, rec, kl, beta, 1, outBase);
    }

    /**
     * Three panels stacked in one image, sharing the x axis (optimiser step): the reconstruction term (distortion)
     * against the step, the KL term (rate), and the KL weight β in force. One curve per configuration.
     *
     * <p>With {@code smoothingWindow > 1} the reconstruction and KL panels draw a centred moving average over
     * that many steps ({@link #movingAverage}) over the raw per-step values in a faint tint. β is never smoothed:
     * it is the applied weight, and smoothing would blur the resets of cyclical schedules. The β panel uses a
     * logarithmic axis when every β is positive and they span more than a factor of 10 (a schedule that starts at
     * β = 0 stays linear).
     *
     * @param smoothingWindow moving-average window in points, ≥ 1 (1 = raw curves only)
     * @param outBase         path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if a list is empty, a label repeats within a list, or the window is &lt; 1
     */
    public static List<Path> trainingCurves(String title, List<Series> rec, List<Series> kl, List<Series> beta,
                                            int smoothingWindow, Path outBase) throws IOException {
        Objects.requireNonNull(title, "title");
        checkSeries("rec", rec);
        checkSeries("kl", kl);
        checkSeries("beta", beta);
        if (smoothingWindow < 1)
            throw new IllegalArgumentException("smoothing window must be ≥ 1 step, got " + smoothingWindow);

        Set<String> labels = new LinkedHashSet<>();
        for (List<Series> panel : List.of(rec, kl, beta)) for (Series s : panel) labels.add(s.label());
        Map<String, LabelStyle> styles = styles(labels);
        List<LegendEntry> entries = new ArrayList<>();
        for (String label : labels) entries.add(LegendEntry.line(label, styles.get(label)));

        String note = smoothingWindow > 1
                ? "Reconstruction and KL: centred moving average over " + smoothingWindow
                + " steps (faint: every step). β: as applied."
                : null;
        int xTitleExtra = 22;
        Frame frame = Frame.layout(3 * PANEL_HEIGHT + xTitleExtra, title, note, entries);

        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        for (List<Series> panel : List.of(rec, kl, beta))
            for (Series s : panel)
                for (double x : s.x())
                    if (Double.isFinite(x)) {
                        xMin = Math.min(xMin, x);
                        xMax = Math.max(xMax, x);
                    }
        if (!(xMin <= xMax)) throw new IllegalArgumentException("training curves have no finite step values");
        if (xMin == xMax) {
            xMin -= 0.5;
            xMax += 0.5;
        }

        int[] heights = {PANEL_HEIGHT, PANEL_HEIGHT, PANEL_HEIGHT + xTitleExtra};
        String[] yTitles = {"reconstruction (nats)", "rate KL (nats)", "KL weight β"};
        List<List<Series>> data = List.of(rec, kl, beta);
        List<XYChart> panels = new ArrayList<>();
        List<List<Curve>> panelCurves = new ArrayList<>();
        BasicStroke faint = new BasicStroke(MIN_LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        for (int p = 0; p < 3; p++) {
            boolean betaPanel = p == 2;
            int window = betaPanel ? 1 : smoothingWindow;
            List<Series> series = data.get(p);
            boolean log = betaPanel && spansMoreThanADecade(series);
            List<Curve> curves = new ArrayList<>();
            if (window > 1)
                for (Series s : series)
                    curves.add(new Curve(s.x(), s.y(), tint(styles.get(s.label()).color(), 0.22), faint));
            for (Series s : series) {
                LabelStyle ls = styles.get(s.label());
                curves.add(new Curve(s.x(), window > 1 ? movingAverage(s.y(), window) : s.y(), ls.color(),
                        ls.stroke(LINE_WIDTH)));
            }

            XYChart c = newChart(frame.plotWidth, heights[p], "optimiser step", yTitles[p]);
            XYStyler st = c.getStyler();
            st.setXAxisTitleVisible(p == 2);
            st.setYAxisLogarithmic(log);
            // XChart draws a line series as one SVG element per segment (megabytes for a few thousand steps), so
            // the curves are drawn over the chart as one path each (paintCurves). XChart only gets an invisible
            // series spanning their extent, for the axes. Its values are unevenly spaced: XChart puts ticks only on
            // the data values when those are equally spaced, and round-number ticks are wanted here.
            double[] yr = yExtent(curves, log);
            // A log axis labels only powers of ten: reach the decades around the data, so at least two are shown.
            if (log) yr = new double[]{Math.pow(10, Math.floor(Math.log10(yr[0]) + 1e-9)),
                    Math.pow(10, Math.ceil(Math.log10(yr[1]) - 1e-9))};
            XYSeries extent = c.addSeries("extent", new double[]{xMin, xMax, xMin + (xMax - xMin) / 3},
                    new double[]{yr[0], yr[1], yr[0] + (yr[1] - yr[0]) / 3});
            extent.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            extent.setMarker(SeriesMarkers.NONE);
            st.setXAxisMin(xMin);
            st.setXAxisMax(xMax);
            st.setYAxisMin(yr[0]);
            st.setYAxisMax(yr[1]);
            panels.add(c);
            panelCurves.add(curves);
        }
        alignPlotLeftEdges(panels, xMin, xMax);

        return write(outBase, frame, g -> {
            int y = frame.plotY;
            for (int p = 0; p < panels.size(); p++) {
                XYChart c = panels.get(p);
                paintChart(g, c, frame.plotX, y);
                paintCurves(g, c, frame.plotX, y, panelCurves.get(p), c.getStyler().isYAxisLogarithmic());
                y += c.getHeight();
            }
        });
    }

    /** One polyline of a training panel, drawn by {@link #paintCurves}. */
    /**
     * A line to draw, thinned to at most {@link #MAX_CURVE_POINTS} points ({@link #thin}): a 10-epoch run logs
     * thousands of steps per series, which made one committed SVG 6 MB without changing a pixel of the PNG.
     */
    private record Curve(double[] x, double[] y, Color color, BasicStroke stroke) {
        Curve {
            double[][] xy = thin(x, y, MAX_CURVE_POINTS);
            x = xy[0];
            y = xy[1];
        }
    }

    /** At most this many points per drawn curve: about two per horizontal pixel of a panel. */
    static final int MAX_CURVE_POINTS = 1200;

    /**
     * Thins a curve to at most {@code max} points by keeping, in each of {@code max / 2} equal runs of points, the
     * lowest and the highest in their original order: the envelope of a noisy curve and every jump (a cyclical
     * schedule's reset) survive, which keeping every k-th point would not guarantee. NaNs are kept as gaps.
     */
    static double[][] thin(double[] x, double[] y, int max) {
        int n = Math.min(x.length, y.length);
        if (n <= max) return new double[][] {x, y};
        int buckets = max / 2;
        double[] tx = new double[2 * buckets];
        double[] ty = new double[2 * buckets];
        int k = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets), to = (int) ((long) (b + 1) * n / buckets);
            int lo = from, hi = from;
            for (int i = from; i < to; i++) {
                if (Double.isNaN(y[i])) {
                    lo = hi = i;
                    break;
                }
                if (y[i] < y[lo]) lo = i;
                if (y[i] > y[hi]) hi = i;
            }
            int first = Math.min(lo, hi), second = Math.max(lo, hi);
            tx[k] = x[first];
            ty[k++] = y[first];
            if (second != first) {
                tx[k] = x[second];
                ty[k++] = y[second];
            }
        }
        return new double[][] {java.util.Arrays.copyOf(tx, k), java.util.Arrays.copyOf(ty, k)};
    }

    /**
     * The y range of the curves (positive values only on a log axis), widened around a constant so that XChart
     * has a range to draw; [0, 1] if there is no value at all.
     */
    private static double[] yExtent(List<Curve> curves, boolean log) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (Curve cv : curves)
            for (double v : cv.y())
                if (Double.isFinite(v) && (!log || v > 0)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
        if (!(min <= max)) return new double[]{0, 1};
        if (min == max) {
            double half = min == 0 ? 1 : Math.abs(min) * 0.5;
            return log ? new double[]{min / 2, max * 2} : new double[]{min - half, max + half};
        }
        return new double[]{min, max};
    }

    /** Draws each curve as a single path in the chart's data coordinates; NaN (or, on a log axis, ≤ 0) breaks it. */
    private static void paintCurves(Graphics2D g, XYChart c, int ox, int oy, List<Curve> curves, boolean log) {
        GraphicsState saved = GraphicsState.of(g);
        Graphics2D t = g;
        t.translate(ox, oy);
        for (Curve cv : curves) {
            Path2D.Double path = new Path2D.Double();
            double[] x = cv.x(), y = cv.y();
            boolean drawing = false;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (log && y[i] <= 0)) {
                    drawing = false;
                    continue;
                }
                // 1/100 unit is invisible even in the 300 dpi PNG and keeps the SVG path numbers short.
                double sx = Math.rint(c.getScreenXFromChart(x[i]) * 100) / 100;
                double sy = Math.rint(c.getScreenYFromChart(y[i]) * 100) / 100;
                if (drawing) path.lineTo(sx, sy);
                else path.moveTo(sx, sy);
                drawing = true;
            }
            t.setColor(cv.color());
            t.setStroke(cv.stroke());
            t.draw(path);
        }
        saved.restore(g);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. Rate–distortion plane

    /**
     * The rate–distortion plane with lines of constant ELBO; see
     * {@link #rateDistortion(String, List, List, boolean, Path)}.
     */
    public static List<Path> rateDistortion(String title, List<RdPoint> points, List<String> joinedGroups,
                                            Path outBase) throws IOException {
        return rateDistortion(title, points, joinedGroups, true, outBase);
    }

    /**
     * Every run on the rate–distortion plane (Alemi et al. 2018, arXiv:1711.00464): x = rate R, y = distortion D,
     * both in nats per example; colour by label (configuration), marker shape by group. For each group named in
     * {@code joinedGroups} (e.g. the β sweep) a line joins the per-label mean (R, D), sorted by rate, which traces
     * the group's R–D curve. Optionally, faint diagonal lines of constant ELBO = −(R + D), labelled with the ELBO,
     * show which runs have the same bound but sit at different trade-offs.
     *
     * @param joinedGroups groups whose per-label means are joined by a line; each must occur in {@code points}
     * @param elboContours whether to draw the lines of constant ELBO
     * @param outBase      path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if there are no points or a joined group has none
     */
    public static List<Path> rateDistortion(String title, List<RdPoint> points, List<String> joinedGroups,
                                            boolean elboContours, Path outBase) throws IOException {
        Objects.requireNonNull(title, "title");
        if (points.isEmpty()) throw new IllegalArgumentException("rate–distortion figure needs at least one run");
        Set<String> labels = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        for (RdPoint p : points) {
            labels.add(p.label());
            groups.add(p.group());
        }
        for (String g : joinedGroups)
            if (!groups.contains(g))
                throw new IllegalArgumentException("joined group '" + g + "' has no runs; groups are " + groups);
        Map<String, LabelStyle> styles = styles(labels);
        Map<String, Marker> markers = new LinkedHashMap<>();
        for (String g : groups) markers.put(g, GROUP_MARKERS[markers.size() % GROUP_MARKERS.length]);

        List<LegendEntry> entries = new ArrayList<>();
        Map<String, String> firstGroup = new LinkedHashMap<>();
        for (RdPoint p : points) firstGroup.putIfAbsent(p.label(), p.group());
        for (String label : labels)
            entries.add(LegendEntry.marker(label, styles.get(label).color(), markers.get(firstGroup.get(label))));
        for (String g : joinedGroups) entries.add(LegendEntry.line(g + ": mean per label", MEAN_LINE, meanStroke()));
        if (elboContours) entries.add(LegendEntry.line("constant ELBO (nats)", CONTOUR, contourStroke()));

        Frame frame = Frame.layout(PLOT_HEIGHT, title, null, entries);
        XYChart c = newChart(frame.plotWidth, frame.plotHeight, "rate R (nats)", "distortion D (nats)");
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
        double px = pad(x0, x1), py = pad(y0, y1);
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

        List<double[]> contours = new ArrayList<>();   // {c, rA, dA, rB, dB}: segment of R + D = c in the box
        if (elboContours) {
            double step = niceStep(((x1 + y1) - (x0 + y0)) / 7);
            long first = (long) Math.ceil((x0 + y0) / step), last = (long) Math.floor((x1 + y1) / step);
            int k = 0;
            for (long i = first; i <= last && i - first < 20; i++) {
                double s = i * step;
                double rA = Math.max(x0, s - y1), rB = Math.min(x1, s - y0);
                if (rB - rA <= 1e-9 * (x1 - x0)) continue;
                XYSeries line = c.addSeries("elbo#" + k++, new double[]{rA, rB}, new double[]{s - rA, s - rB});
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(CONTOUR);
                line.setLineStyle(contourStroke());
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
            line.setLineStyle(meanStroke());
        }

        // One scatter series per (label, group), so colour follows the label and shape the group.
        Map<List<String>, List<RdPoint>> byLabelGroup = new LinkedHashMap<>();
        for (RdPoint p : points)
            byLabelGroup.computeIfAbsent(List.of(p.label(), p.group()), x -> new ArrayList<>()).add(p);
        k = 0;
        for (Map.Entry<List<String>, List<RdPoint>> e : byLabelGroup.entrySet()) {
            List<RdPoint> ps = e.getValue();
            double[] r = new double[ps.size()], d = new double[ps.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = ps.get(i).rate();
                d[i] = ps.get(i).distortion();
            }
            XYSeries s = c.addSeries("run#" + k++, r, d);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(markers.get(e.getKey().get(1)));
            s.setMarkerColor(withAlpha(styles.get(e.getKey().get(0)).color(), 0.85));
        }

        return write(outBase, frame, g -> {
            paintChart(g, c, frame.plotX, frame.plotY);
            if (!contours.isEmpty()) labelContours(g, c, frame.plotX, frame.plotY, contours, obstacles);
        });
    }

    /**
     * Writes each contour's ELBO along its line, at the place along the line farthest from every run and mean
     * line (measured on screen), so that labels never sit on data; a contour with no clear place stays unlabelled.
     *
     * @param obstacles data-space points to keep clear of: the runs and points along the mean lines
     */
    private static void labelContours(Graphics2D g, XYChart c, int ox, int oy, List<double[]> contours,
                                      List<double[]> obstacles) {
        List<double[]> screen = new ArrayList<>();
        for (double[] o : obstacles) screen.add(new double[]{c.getScreenXFromChart(o[0]), c.getScreenYFromChart(o[1])});
        GraphicsState saved = GraphicsState.of(g);
        Graphics2D t = g;
        t.translate(ox, oy);
        t.setFont(CONTOUR_FONT);
        t.setColor(CONTOUR_TEXT);
        LineMetrics lm = CONTOUR_FONT.getLineMetrics("0", FRC);
        for (double[] s : contours) {
            double ax = c.getScreenXFromChart(s[1]), ay = c.getScreenYFromChart(s[2]);
            double bx = c.getScreenXFromChart(s[3]), by = c.getScreenYFromChart(s[4]);
            double len = Math.hypot(bx - ax, by - ay);
            String text = formatNumber(-s[0]);
            double w = CONTOUR_FONT.getStringBounds(text, FRC).getWidth();
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
            AffineTransform along = t.getTransform();
            t.translate(ax + ux * bestAt, ay + uy * bestAt);
            t.rotate(Math.atan2(uy, ux));
            drawText(t, text, -w / 2, -lm.getDescent() - 2);
            t.setTransform(along);
        }
        saved.restore(g);
    }

    private static double distanceToSegment(double[] p, double x0, double y0, double x1, double y1) {
        double dx = x1 - x0, dy = y1 - y0;
        double len2 = dx * dx + dy * dy;
        double f = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - x0) * dx + (p[1] - y0) * dy) / len2));
        return Math.hypot(p[0] - (x0 + f * dx), p[1] - (y0 + f * dy));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. Per-dimension KL

    /**
     * The KL of each latent dimension, sorted in descending order, one line per configuration: how many
     * dimensions carry information and how the rate is shared among them. Build each series with
     * {@link Series#sortedDescending(String, double[])} from the per-dimension KL
     * ({@code org.vaelab.metrics.GaussianKl.perDimension}).
     *
     * @param outBase path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if the list is empty or a label repeats
     */
    public static List<Path> perDimensionKl(String title, List<Series> sortedKlPerLabel, Path outBase)
            throws IOException {
        Objects.requireNonNull(title, "title");
        checkSeries("sortedKlPerLabel", sortedKlPerLabel);
        Set<String> labels = new LinkedHashSet<>();
        int maxPoints = 0;
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        for (Series s : sortedKlPerLabel) {
            labels.add(s.label());
            maxPoints = Math.max(maxPoints, s.size());
            for (double x : s.x()) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
        }
        Map<String, LabelStyle> styles = styles(labels);
        boolean markers = maxPoints <= 32;   // beyond that the markers merge into a thick line
        List<LegendEntry> entries = new ArrayList<>();
        for (String label : labels) {
            LabelStyle ls = styles.get(label);
            entries.add(new LegendEntry(label, ls.color(), markers ? SeriesMarkers.CIRCLE : null,
                    ls.stroke(LINE_WIDTH)));
        }
        Frame frame = Frame.layout(PLOT_HEIGHT, title, null, entries);
        XYChart c = newChart(frame.plotWidth, frame.plotHeight, "latent dimension (sorted by KL)", "KL (nats)");
        XYStyler st = c.getStyler();
        st.setMarkerSize(6);
        // Ranks are equally spaced integers, so XChart puts the ticks on them; print them without decimals.
        st.setXAxisDecimalPattern("0");
        int k = 0;
        boolean nonNegative = true;
        for (Series s : sortedKlPerLabel) {
            LabelStyle ls = styles.get(s.label());
            XYSeries line = c.addSeries("kl#" + k++, s.x(), s.y());
            line.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            line.setMarkerColor(ls.color());
            line.setLineColor(ls.color());
            line.setLineStyle(ls.stroke(LINE_WIDTH));
            for (double y : s.y()) if (y < 0) nonNegative = false;
        }
        if (nonNegative) st.setYAxisMin(0.0);
        return write(outBase, frame, g -> paintChart(g, c, frame.plotX, frame.plotY));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Per-dimension KL over training

    /**
     * Viridis (van der Walt and Smith, matplotlib; CC0) at ten equally spaced points, interpolated linearly: a
     * perceptually uniform sequential scale that stays ordered in grey and for the common colour-vision deficiencies.
     */
    static final List<Color> VIRIDIS = List.of(
            new Color(0x440154), new Color(0x482878), new Color(0x3E4989), new Color(0x31688E), new Color(0x26828E),
            new Color(0x1F9E89), new Color(0x35B779), new Color(0x6ECE58), new Color(0xB5DE2B), new Color(0xFDE725));
    /** Colour of a snapshot whose KL is not finite (a diverging run). */
    private static final Color MISSING = new Color(0xBBBBBB);
    /** Colour steps of the heat map: fine enough to look continuous, coarse enough to merge cells into runs. */
    private static final int HEAT_LEVELS = 96;

    /**
     * The KL of every latent dimension over training as a heat map: one row per dimension (z0 at the top), one
     * column per snapshot of the {@link org.vaelab.metrics.KlTrace}, the colour the batch KL in nats on a linear
     * viridis scale from 0 to the largest value (colour bar at the right). Dark rows are collapsed dimensions; a row
     * that brightens late is a dimension that switched on late. Snapshots are drawn at their steps (columns span
     * half-way to their neighbours), so uneven intervals keep a true step axis; more snapshots than about two per
     * pixel are averaged in groups.
     *
     * @param outBase path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if the trace is empty
     */
    public static List<Path> klHeatmap(String title, org.vaelab.metrics.KlTrace trace, Path outBase) throws IOException {
        Objects.requireNonNull(title, "title");
        if (trace.isEmpty()) throw new IllegalArgumentException("KL heat map needs at least one snapshot");
        Frame frame = Frame.layout(PLOT_HEIGHT, title, null, List.of());
        int d = trace.dims();
        long[] steps = trace.steps();
        double[][] kl = trace.klPerDim();

        // Plot box inside the frame's plot area: room for dimension labels left, step ticks below, colour bar right.
        int left = 58, right = 88, top = 8, bottom = 50;
        int bx = frame.plotX + left, by = frame.plotY + top;
        int bw = frame.plotWidth - left - right, bh = frame.plotHeight - top - bottom;

        // Group snapshots so that no column is narrower than half a pixel.
        int groups = Math.min(steps.length, 2 * bw);
        double[] gx0 = new double[groups], gx1 = new double[groups];
        double[][] gkl = new double[groups][d];
        double s0 = steps[0], s1 = steps[steps.length - 1];
        for (int g = 0; g < groups; g++) {
            int from = (int) ((long) g * steps.length / groups), to = (int) ((long) (g + 1) * steps.length / groups);
            gx0[g] = from == 0 ? s0 : (steps[from - 1] + steps[from]) / 2.0;
            gx1[g] = to == steps.length ? s1 : (steps[to - 1] + steps[to]) / 2.0;
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int t = from; t < to; t++) s += kl[t][j];
                gkl[g][j] = s / (to - from);
            }
        }
        double vMax = 0;
        for (double[] row : gkl) for (double v : row) if (Double.isFinite(v)) vMax = Math.max(vMax, v);
        double scaleMax = vMax > 0 ? vMax : 1;
        boolean single = s1 == s0;
        double span = single ? 1 : s1 - s0;
        java.util.function.DoubleUnaryOperator sx = s -> single ? bx : bx + (s - s0) / span * bw;

        return write(outBase, frame, g -> {
            GraphicsState saved = GraphicsState.of(g);
            double rowH = (double) bh / d;
            // Cells: adjacent columns of one row with the same colour step are one rectangle (small SVG).
            for (int j = 0; j < d; j++) {
                double y0 = by + j * rowH;
                int runStart = 0;
                for (int c = 1; c <= groups; c++) {
                    if (c < groups && level(gkl[c][j], scaleMax) == level(gkl[runStart][j], scaleMax)) continue;
                    double x0 = single ? bx : sx.applyAsDouble(gx0[runStart]);
                    g.setColor(heatColor(level(gkl[runStart][j], scaleMax)));
                    // Each run reaches to the right and bottom edges and is painted over by the runs after it, so
                    // no anti-aliased seam between neighbouring cells lets the white background through.
                    g.fill(new java.awt.geom.Rectangle2D.Double(x0, y0, bx + bw - x0, by + bh - y0));
                    runStart = c;
                }
            }
            g.setColor(FRAME);
            g.setStroke(new BasicStroke(MIN_LINE_WIDTH));
            g.draw(new java.awt.geom.Rectangle2D.Double(bx, by, bw, bh));

            // Dimension labels: every row if they fit, else every k-th.
            g.setFont(TICK_FONT);
            g.setColor(TEXT);
            LineMetrics lm = TICK_FONT.getLineMetrics("z0", FRC);
            // The last dimension is always labelled, so the reader sees how many there are.
            int every = Math.max(1, (int) Math.ceil((lm.getAscent() + lm.getDescent() + 2) / rowH));
            for (int j = 0; j < d; j++) {
                boolean last = j == d - 1;
                if (!last && (j % every != 0 || d - 1 - j < every)) continue;
                String label = "z" + j;
                double w = TICK_FONT.getStringBounds(label, FRC).getWidth();
                drawText(g, label, bx - 5 - w, by + (j + 0.5) * rowH + (lm.getAscent() - lm.getDescent()) / 2);
            }
            g.setFont(AXIS_TITLE_FONT);
            String yTitle = "latent dimension";
            double yw = AXIS_TITLE_FONT.getStringBounds(yTitle, FRC).getWidth();
            AffineTransform t0 = g.getTransform();
            g.translate(frame.plotX + 16, by + bh / 2.0 + yw / 2);
            g.rotate(-Math.PI / 2);
            drawText(g, yTitle, 0, 0);
            g.setTransform(t0);

            // Step ticks.
            g.setFont(TICK_FONT);
            if (single) {
                String label = formatNumber(s0);
                double w = TICK_FONT.getStringBounds(label, FRC).getWidth();
                drawText(g, label, bx + bw / 2.0 - w / 2, by + bh + 6 + lm.getAscent());
            } else {
                double step = niceStep(span / 5);
                for (double v = Math.ceil(s0 / step) * step; v <= s1 + 1e-9 * span; v += step) {
                    double x = sx.applyAsDouble(v);
                    g.setColor(FRAME);
                    g.draw(new Line2D.Double(x, by + bh, x, by + bh + 4));
                    g.setColor(TEXT);
                    String label = formatNumber(v);
                    double w = TICK_FONT.getStringBounds(label, FRC).getWidth();
                    drawText(g, label, x - w / 2, by + bh + 6 + lm.getAscent());
                }
            }
            g.setFont(AXIS_TITLE_FONT);
            String xTitle = "optimiser step";
            double xw = AXIS_TITLE_FONT.getStringBounds(xTitle, FRC).getWidth();
            drawText(g, xTitle, bx + bw / 2.0 - xw / 2, by + bh + 40);

            // Colour bar with ticks in nats.
            int cx = bx + bw + 16, cw = 14;
            for (int k = 0; k < HEAT_LEVELS; k++) {
                double y1 = by + bh - (double) k / HEAT_LEVELS * bh;
                g.setColor(heatColor(k));
                g.fill(new java.awt.geom.Rectangle2D.Double(cx, by, cw, y1 - by));   // painted over by the steps above
            }
            g.setColor(FRAME);
            g.draw(new java.awt.geom.Rectangle2D.Double(cx, by, cw, bh));
            g.setFont(TICK_FONT);
            double tickStep = niceStep(scaleMax / 5);
            for (double v = 0; v <= scaleMax * (1 + 1e-9); v += tickStep) {
                double y = by + bh - v / scaleMax * bh;
                g.setColor(FRAME);
                g.draw(new Line2D.Double(cx + cw, y, cx + cw + 4, y));
                g.setColor(TEXT);
                drawText(g, formatTick(v, tickStep), cx + cw + 7, y + (lm.getAscent() - lm.getDescent()) / 2);
            }
            g.setFont(AXIS_TITLE_FONT);
            String cTitle = "KL (nats)";
            double cwTitle = AXIS_TITLE_FONT.getStringBounds(cTitle, FRC).getWidth();
            g.translate(cx + cw + 56, by + bh / 2.0 + cwTitle / 2);
            g.rotate(-Math.PI / 2);
            drawText(g, cTitle, 0, 0);
            saved.restore(g);
        });
    }

    /** The colour step of a KL value on [0, max]; −1 for a value that is not finite. */
    private static int level(double v, double max) {
        if (!Double.isFinite(v)) return -1;
        return (int) Math.max(0, Math.min(HEAT_LEVELS - 1, Math.floor(v / max * HEAT_LEVELS)));
    }

    private static Color heatColor(int level) {
        if (level < 0) return MISSING;
        return viridis((level + 0.5) / HEAT_LEVELS);
    }

    /** Viridis at u ∈ [0, 1], linear between its ten stops. */
    static Color viridis(double u) {
        double p = Math.max(0, Math.min(1, u)) * (VIRIDIS.size() - 1);
        int i = Math.min(VIRIDIS.size() - 2, (int) Math.floor(p));
        double f = p - i;
        Color a = VIRIDIS.get(i), b = VIRIDIS.get(i + 1);
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /** A colour-bar tick: as many decimals as the tick step needs. */
    private static String formatTick(double v, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers shared by the figures

    /**
     * Centred moving average: point i is the mean of the points in the window around it, the window shrinking
     * at both ends so that the curve neither lags nor loses its first and last steps. For an even window the
     * extra point is taken after i. A NaN inside the window makes that point NaN.
     *
     * @param window number of points, ≥ 1 (1 returns a copy)
     */
    public static double[] movingAverage(double[] y, int window) {
        if (window < 1) throw new IllegalArgumentException("moving-average window must be ≥ 1, got " + window);
        if (window == 1) return y.clone();
        int n = y.length, before = (window - 1) / 2, after = window / 2;
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + y[i];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - before), hi = Math.min(n - 1, i + after);
            out[i] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
        }
        // A NaN or infinity poisons every later prefix sum; recompute those windows directly.
        for (int i = 0; i < n; i++)
            if (!Double.isFinite(out[i])) {
                int lo = Math.max(0, i - before), hi = Math.min(n - 1, i + after);
                double s = 0;
                for (int j = lo; j <= hi; j++) s += y[j];
                out[i] = s / (hi - lo + 1);
            }
        return out;
    }

    /** True if every finite value is positive and max/min &gt; 10 (the β panel's log-scale rule). */
    static boolean spansMoreThanADecade(List<Series> series) {
        double min = Double.POSITIVE_INFINITY, max = 0;
        for (Series s : series)
            for (double v : s.y()) {
                if (Double.isNaN(v)) continue;
                if (v <= 0 || Double.isInfinite(v)) return false;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        return max > 10 * min;
    }

    private static void checkSeries(String what, List<Series> series) {
        if (series.isEmpty()) throw new IllegalArgumentException(what + ": no series to plot");
        Set<String> seen = new LinkedHashSet<>();
        for (Series s : series)
            if (!seen.add(s.label()))
                throw new IllegalArgumentException(what + ": label '" + s.label() + "' occurs twice");
    }

    /**
     * Gives stacked panels the same plot left edge (and so, being equally wide, the same x scale), whatever the
     * width of their y tick labels. XChart starts the plot at a y-axis width hint when the axis is narrower than
     * the hint; each panel's hint is tuned by trial paints until the edges agree to within a pixel.
     */
    private static void alignPlotLeftEdges(List<XYChart> charts, double xMin, double xMax) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            int n = charts.size();
            double[] left = new double[n];
            int[] hint = new int[n];
            for (int round = 0; round < 4; round++) {
                double target = 0;
                for (int i = 0; i < n; i++) {
                    XYChart c = charts.get(i);
                    c.paint(g, c.getWidth(), c.getHeight());
                    left[i] = plotLeft(c, xMin, xMax);
                    target = Math.max(target, left[i]);
                }
                boolean aligned = true;
                for (int i = 0; i < n; i++) {
                    if (Math.abs(left[i] - target) < 1) continue;
                    aligned = false;
                    hint[i] = hint[i] == 0 ? (int) Math.ceil(target) : hint[i] + (int) Math.round(target - left[i]);
                    charts.get(i).getStyler().setYAxisLeftWidthHint(hint[i]);
                }
                if (aligned) return;
            }
        } finally {
            g.dispose();
        }
    }

    /** Screen x of the plot frame's left edge, from where the painted chart maps the x range. */
    private static double plotLeft(XYChart c, double xMin, double xMax) {
        double s0 = c.getScreenXFromChart(xMin), s1 = c.getScreenXFromChart(xMax);
        double content = c.getStyler().getPlotContentSize();
        return s0 - (1 - content) / 2 * (s1 - s0) / content;
    }

    private static double pad(double lo, double hi) {
        double range = hi - lo;
        if (range > 0) return 0.08 * range;
        return lo == 0 ? 1 : 0.05 * Math.abs(lo);
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    private static String formatNumber(double v) {
        String s = Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf((long) Math.rint(v))
                : String.format(Locale.ROOT, "%.1f", v);
        return s.replace('-', '\u2212');
    }

    private static BasicStroke meanStroke() {
        return new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[]{6f, 4f}, 0f);
    }

    private static BasicStroke contourStroke() {
        return new BasicStroke(MIN_LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    }

    private static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * alpha));
    }

    /** The colour mixed with white, opaque, so that overlapping faint lines do not darken into noise. */
    private static Color tint(Color c, double amount) {
        return new Color(mix(c.getRed(), amount), mix(c.getGreen(), amount), mix(c.getBlue(), amount));
    }

    private static int mix(int channel, double amount) {
        return (int) Math.round(255 - (255 - channel) * amount);
    }

    /** Colour (and, past eight labels, dash pattern) of one label. */
    private record LabelStyle(Color color, float[] dash) {
        BasicStroke stroke(float width) {
            return dash == null
                    ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                    : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
        }
    }

    private static Map<String, LabelStyle> styles(Set<String> labels) {
        Map<String, LabelStyle> m = new LinkedHashMap<>();
        int i = 0;
        for (String l : labels) {
            m.put(l, new LabelStyle(PALETTE.get(i % PALETTE.size()), DASHES[(i / PALETTE.size()) % DASHES.length]));
            i++;
        }
        return m;
    }

    private static XYChart newChart(int width, int height, String xTitle, String yTitle) {
        XYChart c = new XYChart(width, height);
        c.setXAxisTitle(xTitle);
        c.setYAxisTitle(yTitle);
        XYStyler s = c.getStyler();
        s.setChartTitleVisible(false);
        s.setLegendVisible(false);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(FRAME);
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(MIN_LINE_WIDTH));
        s.setPlotTicksMarksVisible(false);
        s.setAxisTicksLineVisible(false);
        s.setAxisTickMarksColor(FRAME);
        s.setChartFontColor(TEXT);
        s.setAxisTickLabelsColor(TEXT);
        s.setXAxisTitleColor(TEXT);
        s.setYAxisTitleColor(TEXT);
        s.setAxisTitleFont(AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(TICK_FONT);
        s.setAxisTitlePadding(5);
        s.setAxisTickPadding(4);
        s.setChartPadding(6);
        s.setPlotMargin(0);
        s.setMarkerSize(MARKER_SIZE);
        s.setAntiAlias(true);
        s.setToolTipsEnabled(false);
        s.setCursorEnabled(false);
        s.setZoomEnabled(false);
        return c;
    }

    private static void paintChart(Graphics2D g, XYChart c, int x, int y) {
        GraphicsState saved = GraphicsState.of(g);
        g.translate(x, y);
        c.paint(g, c.getWidth(), c.getHeight());
        saved.restore(g);
    }

    /**
     * The drawing state a painter may change, saved and put back by hand: VectorGraphics2D (the SVG writer)
     * lets a transform set on a {@code create()}d child graphics leak into the parent's later drawing, so
     * children are not used.
     */
    private record GraphicsState(AffineTransform transform, Shape clip, Stroke stroke, Paint paint, Color color,
                                 Font font, RenderingHints hints) {
        static GraphicsState of(Graphics2D g) {
            return new GraphicsState(g.getTransform(), g.getClip(), g.getStroke(), g.getPaint(), g.getColor(),
                    g.getFont(), (RenderingHints) g.getRenderingHints().clone());
        }

        void restore(Graphics2D g) {
            g.setTransform(transform);
            g.setClip(clip);
            g.setStroke(stroke);
            g.setPaint(paint);
            g.setColor(color);
            g.setFont(font);
            g.setRenderingHints(hints);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Frame: title band, plot area, legend column or rows

    /** One legend row: a short line and/or a marker in the label's colour, then the label. */
    private record LegendEntry(String label, Color color, Marker marker, BasicStroke stroke) {
        static LegendEntry line(String label, LabelStyle s) {
            return new LegendEntry(label, s.color(), null, s.stroke(LINE_WIDTH));
        }

        static LegendEntry line(String label, Color color, BasicStroke stroke) {
            return new LegendEntry(label, color, null, stroke);
        }

        static LegendEntry marker(String label, Color color, Marker marker) {
            return new LegendEntry(label, color, marker, null);
        }

        double width() {
            return width(label);
        }

        static double width(String label) {
            return SWATCH + SWATCH_GAP + LEGEND_FONT.getStringBounds(label, FRC).getWidth();
        }

        static final int SWATCH = 24, SWATCH_GAP = 6;
    }

    /** Where the parts of a figure go; the legend never shares space with a plot. */
    private static final class Frame {
        static final int PAD = 8, ROW = 18, ENTRY_GAP = 14, TITLE_GAP = 6;
        /** A legend wider than this share of the figure goes below the plots instead. */
        static final double MAX_LEGEND_SHARE = 0.34;

        final int width = WIDTH, height;
        final Font titleFont;
        final List<String> titleLines, noteLines;
        final List<List<String>> labelLines;   // each legend label, broken into lines if wider than the figure
        final int titleHeight;
        final List<LegendEntry> entries;
        final boolean legendRight;
        final int plotX, plotY, plotWidth, plotHeight;
        final int rows;
        final double[] columnX;   // legend: column-major grid, each column as wide as its widest label
        final int legendY;

        private Frame(int plotHeight, String title, String note, List<LegendEntry> entries) {
            this.entries = List.copyOf(entries);
            titleFont = fitTitleFont(title, width - 2 * PAD);
            titleLines = wrap(title, titleFont, width - 2 * PAD);
            noteLines = note == null ? List.of() : wrap(note, NOTE_FONT, width - 2 * PAD);
            titleHeight = (int) Math.ceil(PAD + titleLines.size() * lineHeight(titleFont)
                    + (noteLines.isEmpty() ? 0 : 2 + noteLines.size() * lineHeight(NOTE_FONT)) + TITLE_GAP);
            double labelMax = width - 2 * PAD - LegendEntry.SWATCH - LegendEntry.SWATCH_GAP;
            List<List<String>> ll = new ArrayList<>();
            boolean wrapped = false;
            for (LegendEntry e : entries) {
                List<String> l = LEGEND_FONT.getStringBounds(e.label(), FRC).getWidth() <= labelMax
                        ? List.of(e.label()) : wrap(e.label(), LEGEND_FONT, labelMax);
                wrapped |= l.size() > 1;
                ll.add(l);
            }
            labelLines = List.copyOf(ll);
            double widest = 0;
            for (int i = 0; i < entries.size(); i++)
                for (String l : labelLines.get(i)) widest = Math.max(widest, LegendEntry.width(l));
            int rightWidth = (int) Math.ceil(widest) + 2 * PAD;
            legendRight = !entries.isEmpty() && !wrapped && rightWidth <= MAX_LEGEND_SHARE * width
                    && entries.size() * ROW + 2 * PAD <= plotHeight;
            plotX = 0;
            plotY = titleHeight;
            this.plotHeight = plotHeight;
            if (entries.isEmpty()) {
                rows = 0;
                columnX = new double[0];
                plotWidth = width;
                legendY = plotY;
                height = plotY + plotHeight;
            } else if (legendRight) {
                rows = entries.size();
                columnX = new double[]{width - rightWidth + PAD};
                plotWidth = width - rightWidth;
                legendY = plotY + PAD;
                height = plotY + plotHeight;
            } else if (wrapped) {
                // A label wider than the figure: one column, the long labels on several lines.
                plotWidth = width;
                rows = entries.size();
                columnX = new double[]{Math.max(PAD, (width - widest) / 2)};
                legendY = plotY + plotHeight + PAD / 2;
                int lines = 0;
                for (List<String> l : labelLines) lines += l.size();
                height = legendY + lines * ROW + PAD;
            } else {
                plotWidth = width;
                double[] widths = null;
                int r = 1;
                // The fewest rows (so the most columns) that fit the width.
                for (; r <= entries.size(); r++) {
                    widths = columnWidths(entries, r);
                    double total = (widths.length - 1) * ENTRY_GAP;
                    for (double w : widths) total += w;
                    if (total <= width - 2 * PAD || r == entries.size()) break;
                }
                rows = r;
                double total = (widths.length - 1) * ENTRY_GAP;
                for (double w : widths) total += w;
                columnX = new double[widths.length];
                double x = Math.max(PAD, (width - total) / 2);
                for (int c = 0; c < widths.length; c++) {
                    columnX[c] = x;
                    x += widths[c] + ENTRY_GAP;
                }
                legendY = plotY + plotHeight + PAD / 2;
                height = legendY + rows * ROW + PAD;
            }
        }

        /** Widths of the legend's columns when its entries fill {@code rows} rows, column after column. */
        private static double[] columnWidths(List<LegendEntry> entries, int rows) {
            int columns = (entries.size() + rows - 1) / rows;
            double[] w = new double[columns];
            for (int i = 0; i < entries.size(); i++) w[i / rows] = Math.max(w[i / rows], entries.get(i).width());
            return w;
        }

        static Frame layout(int plotHeight, String title, String note, List<LegendEntry> entries) {
            return new Frame(plotHeight, title, note, entries);
        }

        private static double lineHeight(Font f) {
            LineMetrics m = f.getLineMetrics("Hβy", FRC);
            return m.getAscent() + m.getDescent() + m.getLeading();
        }

        /** The title font, made up to two sizes smaller (never below the smallest font) if that fits one line. */
        private static Font fitTitleFont(String title, double max) {
            for (Font f = TITLE_FONT; f.getSize2D() >= Math.max(MIN_FONT_SIZE, TITLE_FONT.getSize2D() - 2);
                 f = f.deriveFont(f.getSize2D() - 1))
                if (f.getStringBounds(title, FRC).getWidth() <= max) return f;
            return TITLE_FONT;
        }

        /**
         * Breaks text at spaces into as few lines as fit {@code max}, of about equal width, so no word is left
         * alone on the last line (a single word longer than {@code max} keeps a line of its own).
         */
        static List<String> wrap(String text, Font font, double max) {
            List<String> lines = greedyWrap(text, font, max);
            double lo = 0, hi = max;
            for (int i = 0; i < 20; i++) {
                double mid = (lo + hi) / 2;
                if (greedyWrap(text, font, mid).size() <= lines.size()) hi = mid;
                else lo = mid;
            }
            return greedyWrap(text, font, hi);
        }

        private static List<String> greedyWrap(String text, Font font, double max) {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.strip().split(" +")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (!line.isEmpty() && font.getStringBounds(candidate, FRC).getWidth() > max) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(candidate);
                }
            }
            lines.add(line.toString());
            return lines;
        }

        void paintDecorations(Graphics2D g) {
            double y = PAD;
            g.setColor(TEXT);
            y = paintCentred(g, titleLines, titleFont, y);
            if (!noteLines.isEmpty()) {
                g.setColor(MUTED);
                paintCentred(g, noteLines, NOTE_FONT, y + 2);
            }
            double[] lineInColumn = new double[columnX.length];
            for (int i = 0; i < entries.size(); i++) {
                int c = i / rows;
                paintEntry(g, entries.get(i), labelLines.get(i), columnX[c], legendY + lineInColumn[c] * ROW + ROW / 2.0);
                lineInColumn[c] += labelLines.get(i).size();
            }
        }

        /** Draws the lines centred, the first one's top at {@code top}; returns the bottom of the last. */
        private double paintCentred(Graphics2D g, List<String> lines, Font font, double top) {
            g.setFont(font);
            for (String l : lines) {
                LineMetrics m = font.getLineMetrics(l, FRC);
                double w = font.getStringBounds(l, FRC).getWidth();
                drawText(g, l, (width - w) / 2, top + m.getAscent());
                top += lineHeight(font);
            }
            return top;
        }

        private static void paintEntry(Graphics2D g, LegendEntry e, List<String> lines, double x, double cy) {
            GraphicsState saved = GraphicsState.of(g);
            Graphics2D s = g;
            s.setColor(e.color());
            if (e.stroke() != null) {
                s.setStroke(e.stroke());
                s.draw(new Line2D.Double(x + 1, cy, x + LegendEntry.SWATCH - 1, cy));
            }
            if (e.marker() != null) {
                s.setStroke(new BasicStroke(MIN_LINE_WIDTH));
                e.marker().paint(s, x + LegendEntry.SWATCH / 2.0, cy, MARKER_SIZE);
            }
            saved.restore(g);
            g.setColor(TEXT);
            g.setFont(LEGEND_FONT);
            LineMetrics lm = LEGEND_FONT.getLineMetrics(e.label(), FRC);
            for (int k = 0; k < lines.size(); k++)
                drawText(g, lines.get(k), x + LegendEntry.SWATCH + LegendEntry.SWATCH_GAP,
                        cy + k * ROW + (lm.getAscent() - lm.getDescent()) / 2);
        }
    }

    /**
     * Draws text in the current font. A PDF graphics (marked with VectorGraphics2D's vector-text hint) gets the
     * glyph outlines, since its text operators cannot show Greek letters; everywhere else this is {@code drawString}.
     */
    private static void drawText(Graphics2D g, String text, double x, double y) {
        if (g.getRenderingHint(VectorHints.KEY_TEXT) == VectorHints.VALUE_TEXT_VECTOR)
            g.fill(g.getFont().createGlyphVector(FRC, text).getOutline((float) x, (float) y));
        else
            g.drawString(text, (float) x, (float) y);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Output: PNG and SVG from the same painting code, each written atomically

    @FunctionalInterface
    private interface Painter {
        void paint(Graphics2D g);
    }

    private static List<Path> write(Path outBase, Frame frame, Painter plots) throws IOException {
        Painter all = g -> {
            g.setColor(Color.WHITE);
            g.fill(new java.awt.geom.Rectangle2D.Double(0, 0, frame.width, frame.height));
            plots.paint(g);
            frame.paintDecorations(g);
        };
        Path png = sibling(outBase, ".png"), svg = sibling(outBase, ".svg"), pdf = sibling(outBase, ".pdf");
        AtomicFiles.write(png, out -> writePng(all, frame.width, frame.height, out));
        AtomicFiles.write(svg, out -> writeSvg(all, frame.width, frame.height, out));
        AtomicFiles.write(pdf, out -> writePdf(all, frame.width, frame.height, out));
        return List.of(png, svg, pdf);
    }

    private static Path sibling(Path base, String extension) {
        Path name = base.getFileName();
        if (name == null) throw new IllegalArgumentException("output base " + base + " has no file name");
        return base.resolveSibling(name + extension);
    }

    private static void writePng(Painter painter, int width, int height, OutputStream out) throws IOException {
        BufferedImage img = new BufferedImage((int) Math.round(width * PNG_SCALE), (int) Math.ceil(height * PNG_SCALE - 1e-9),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // The pixel height is rounded up from the scaled height: whiten the last partly covered row too.
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(PNG_SCALE, PNG_SCALE);
            painter.paint(g);
        } finally {
            g.dispose();
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) throw new IOException("no PNG writer available in ImageIO");
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB), param);
            // pHYs through the PNG writer's own metadata format: the JDK writer turns the standard format's
            // pixel size (mm per pixel) into pixels per metre the wrong way round.
            String ppm = Long.toString(Math.round(PNG_DPI / 0.0254));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", ppm);
            phys.setAttribute("pixelsPerUnitYAxis", ppm);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, meta), param);
        } finally {
            writer.dispose();
        }
    }

    private static void writeSvg(Painter painter, int width, int height, OutputStream out) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        painter.paint(g);
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(out);
    }

    /** The PDF page is the print size; VectorGraphics2D measures pages in millimetres. */
    private static void writePdf(Painter painter, int width, int height, OutputStream out) throws IOException {
        double mmPerUnit = PRINT_WIDTH_INCHES * 25.4 / WIDTH;
        VectorGraphics2D g = new VectorGraphics2D();
        g.setRenderingHint(VectorHints.KEY_TEXT, VectorHints.VALUE_TEXT_VECTOR);
        g.scale(mmPerUnit, mmPerUnit);
        painter.paint(g);
        new PDFProcessor(true).getDocument(g.getCommands(),
                new PageSize(0, 0, width * mmPerUnit, height * mmPerUnit)).writeTo(out);
    }
}
