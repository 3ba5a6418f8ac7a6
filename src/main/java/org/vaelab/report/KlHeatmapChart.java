package org.vaelab.report;

import static org.vaelab.report.FigureLayout.AXIS_TITLE_FONT;
import static org.vaelab.report.FigureLayout.FRAME;
import static org.vaelab.report.FigureLayout.FRC;
import static org.vaelab.report.FigureLayout.MIN_LINE_WIDTH;
import static org.vaelab.report.FigureLayout.PLOT_HEIGHT;
import static org.vaelab.report.FigureLayout.TEXT;
import static org.vaelab.report.FigureLayout.TICK_FONT;
import static org.vaelab.report.FigureLayout.drawRotated;
import static org.vaelab.report.FigureLayout.drawText;
import static org.vaelab.report.FigureLayout.formatNumber;
import static org.vaelab.report.FigureLayout.niceStep;
import static org.vaelab.report.FigureLayout.textWidth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.font.LineMetrics;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.vaelab.metrics.KlTrace;

/**
 * The KL of every latent dimension over training as a heat map: one row per dimension (z0 at the top), one column
 * per snapshot of the {@link KlTrace}, the colour the batch KL in nats on a linear viridis scale from 0 to a maximum
 * (colour bar at the right). Dark rows are collapsed dimensions; a row that brightens late is a dimension that
 * switched on late. Snapshots are drawn at their steps (columns span half-way to their neighbours), so uneven
 * intervals keep a true step axis; more snapshots than about two per pixel are averaged in groups.
 *
 * <p>The heat maps of one report share one scale ({@link #write(String, KlTrace, double, Path)} with the largest
 * value of all their traces, {@link #maxKl}), so that the same colour is the same KL in every one; the note under
 * the title says so. Every dimension is labelled (in two staggered columns when rows are thin); past
 * {@value #ALL_LABELS_UP_TO} dimensions, every k-th.
 */
public final class KlHeatmapChart {

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
    /** The map grows up to this height (logical units) to give every row its own label in one column. */
    static final int MAX_MAP_HEIGHT = 320;
    /** Up to this many dimensions, every one is labelled. */
    static final int ALL_LABELS_UP_TO = 64;

    private KlHeatmapChart() {
    }

    /** A heat map on its own scale, from 0 to its largest value. */
    public static List<Path> write(String title, KlTrace trace, Path outBase) throws IOException {
        return write(title, trace, Double.NaN, outBase);
    }

    /**
     * Writes the heat map.
     *
     * @param sharedMax top of the colour scale in nats, shared by every heat map of a report (values above it take
     *                  the top colour); NaN or ≤ 0 for a scale of this trace's own
     * @param outBase   path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if the trace is empty
     */
    public static List<Path> write(String title, KlTrace trace, double sharedMax, Path outBase) throws IOException {
        Objects.requireNonNull(title, "title");
        if (trace.isEmpty()) throw new IllegalArgumentException("KL heat map needs at least one snapshot");
        boolean shared = Double.isFinite(sharedMax) && sharedMax > 0;
        double own = maxKl(trace);
        double scaleMax = shared ? sharedMax : own > 0 ? own : 1;
        int d = trace.dims();
        long[] steps = trace.steps();
        double[][] kl = trace.klPerDim();

        // Dimension labels: every row; in two staggered columns if a row is thinner than a label.
        LineMetrics lm = TICK_FONT.getLineMetrics("z0", FRC);
        double labelHeight = lm.getAscent() + lm.getDescent() + 2;
        int left = 58, right = 88, top = 8, bottom = 50;
        int bh = PLOT_HEIGHT - top - bottom;
        int every = 1;
        boolean stagger = false;
        if (d * labelHeight > bh && d * labelHeight <= MAX_MAP_HEIGHT) {
            bh = (int) Math.ceil(d * labelHeight);   // a little taller: one label per row, in one column
        } else if (d * labelHeight > bh) {
            if (d <= ALL_LABELS_UP_TO) {
                stagger = true;
                bh = Math.max(bh, (int) Math.ceil(d * labelHeight / 2));
                left = 58 + (int) Math.ceil(textWidth("z" + (d - 1), TICK_FONT)) + 6;
            } else {
                for (int k : new int[]{2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100})
                    if (d / (double) k * labelHeight <= bh) {
                        every = k;
                        break;
                    }
            }
        }
        String note = shared ? String.format(Locale.ROOT, "One colour scale, 0–%s nats, for every heat map of this report"
                + " (99.5th percentile of their values; above it, the top colour). This run's largest: %s.",
                formatNumber2(scaleMax), formatNumber2(own)) : null;
        FigureFrame frame = new FigureFrame(bh + top + bottom, title, note, List.of());
        int bx = frame.plotX + left, by = frame.plotY + top;
        int bw = frame.plotWidth - left - right;

        // Group snapshots so that no column is narrower than half a pixel.
        int groups = Math.min(steps.length, 2 * bw);
        double[] gx0 = new double[groups];
        double[][] gkl = new double[groups][d];
        double s0 = steps[0], s1 = steps[steps.length - 1];
        for (int g = 0; g < groups; g++) {
            int from = (int) ((long) g * steps.length / groups), to = (int) ((long) (g + 1) * steps.length / groups);
            gx0[g] = from == 0 ? s0 : (steps[from - 1] + steps[from]) / 2.0;
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int t = from; t < to; t++) s += kl[t][j];
                gkl[g][j] = s / (to - from);
            }
        }
        boolean single = s1 == s0;
        double span = single ? 1 : s1 - s0;
        java.util.function.DoubleUnaryOperator sx = s -> single ? bx : bx + (s - s0) / span * bw;
        final int plotBh = bh, labelEvery = every;
        final boolean staggered = stagger;

        return FigureExport.write(outBase, frame, g -> {
            FigureLayout.GraphicsState saved = FigureLayout.GraphicsState.of(g);
            double rowH = (double) plotBh / d;
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
                    g.fill(new Rectangle2D.Double(x0, y0, bx + bw - x0, by + plotBh - y0));
                    runStart = c;
                }
            }
            g.setColor(FRAME);
            g.setStroke(new BasicStroke(MIN_LINE_WIDTH));
            g.draw(new Rectangle2D.Double(bx, by, bw, plotBh));

            // Dimension labels: odd rows next to the map, even rows one column further out with a leader line.
            g.setFont(TICK_FONT);
            double inner = textWidth("z" + (d - 1), TICK_FONT) + 6;
            for (int j = 0; j < d; j += labelEvery) {
                String label = "z" + j;
                double w = textWidth(label, TICK_FONT), cy = by + (j + 0.5) * rowH;
                boolean out = staggered && j % 2 == 0;
                double xr = bx - 5 - (out ? inner : 0);
                if (out || labelEvery > 1) {
                    g.setColor(FRAME);
                    g.draw(new Line2D.Double(out ? xr + 2 : bx - 4, cy, bx, cy));
                }
                g.setColor(TEXT);
                drawText(g, label, xr - w, cy + (lm.getAscent() - lm.getDescent()) / 2);
            }
            g.setFont(AXIS_TITLE_FONT);
            String yTitle = labelEvery > 1 ? "latent dimension (labels every " + labelEvery + ")" : "latent dimension";
            double yw = textWidth(yTitle, AXIS_TITLE_FONT);
            drawRotated(g, yTitle, frame.plotX + 16, by + plotBh / 2.0 + yw / 2, -Math.PI / 2);

            // Step ticks.
            g.setFont(TICK_FONT);
            if (single) {
                String label = formatNumber(s0);
                drawText(g, label, bx + bw / 2.0 - textWidth(label, TICK_FONT) / 2, by + plotBh + 6 + lm.getAscent());
            } else {
                double step = niceStep(span / 5);
                for (double v = Math.ceil(s0 / step) * step; v <= s1 + 1e-9 * span; v += step) {
                    double x = sx.applyAsDouble(v);
                    g.setColor(FRAME);
                    g.draw(new Line2D.Double(x, by + plotBh, x, by + plotBh + 4));
                    g.setColor(TEXT);
                    String label = formatNumber(v);
                    drawText(g, label, x - textWidth(label, TICK_FONT) / 2, by + plotBh + 6 + lm.getAscent());
                }
            }
            g.setFont(AXIS_TITLE_FONT);
            String xTitle = "optimiser step";
            drawText(g, xTitle, bx + bw / 2.0 - textWidth(xTitle, AXIS_TITLE_FONT) / 2, by + plotBh + 40);

            // Colour bar with ticks in nats.
            int cx = bx + bw + 16, cw = 14;
            for (int k = 0; k < HEAT_LEVELS; k++) {
                double y1 = by + plotBh - (double) k / HEAT_LEVELS * plotBh;
                g.setColor(heatColor(k));
                g.fill(new Rectangle2D.Double(cx, by, cw, y1 - by));   // painted over by the steps above
            }
            g.setColor(FRAME);
            g.draw(new Rectangle2D.Double(cx, by, cw, plotBh));
            g.setFont(TICK_FONT);
            double tickStep = niceStep(scaleMax / 5);
            for (double v = 0; v <= scaleMax * (1 + 1e-9); v += tickStep) {
                double y = by + plotBh - v / scaleMax * plotBh;
                g.setColor(FRAME);
                g.draw(new Line2D.Double(cx + cw, y, cx + cw + 4, y));
                g.setColor(TEXT);
                drawText(g, formatTick(v, tickStep), cx + cw + 7, y + (lm.getAscent() - lm.getDescent()) / 2);
            }
            g.setFont(AXIS_TITLE_FONT);
            String cTitle = "KL (nats)";
            drawRotated(g, cTitle, cx + cw + 56, by + plotBh / 2.0 + textWidth(cTitle, AXIS_TITLE_FONT) / 2, -Math.PI / 2);
            saved.restore(g);
        });
    }

    /**
     * The top of a colour scale shared by several heat maps: the 99.5th percentile of all their finite values. The
     * largest value would let one early spike (β = 0.1 reached 9 nats for a few steps where the rest stays below 6)
     * darken every map; values above the cap take the top colour, and each map's note states its own largest value.
     * 0 if there is no value.
     */
    public static double sharedScale(List<KlTrace> traces) {
        int n = 0;
        for (KlTrace t : traces) for (double[] row : t.klPerDim()) n += row.length;
        double[] all = new double[n];
        int k = 0;
        for (KlTrace t : traces) for (double[] row : t.klPerDim()) for (double v : row) if (Double.isFinite(v)) all[k++] = v;
        if (k == 0) return 0;
        return new org.apache.commons.math3.stat.descriptive.rank.Percentile(99.5).evaluate(all, 0, k);
    }

    /** The largest finite KL of any dimension at any snapshot; 0 if there is none. */
    public static double maxKl(KlTrace trace) {
        double max = 0;
        for (double[] row : trace.klPerDim()) for (double v : row) if (Double.isFinite(v)) max = Math.max(max, v);
        return max;
    }

    /** The colour step of a KL value on [0, max]; −1 for a value that is not finite. */
    static int level(double v, double max) {
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

    /** At most two decimals, trailing zeros dropped, for the note. */
    private static String formatNumber2(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v)).stripTrailingZeros()
                .toPlainString();
    }
}
