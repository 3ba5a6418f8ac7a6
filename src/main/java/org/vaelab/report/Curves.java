package org.vaelab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

import org.knowm.xchart.XYChart;

/**
 * Curves drawn over XChart panels: thinning, the centred moving average, the y extent, drawing each curve as one
 * path, and aligning stacked panels. Used by {@link TrainingCurvesChart} and {@link PerDimensionKlChart}.
 */
final class Curves {

    private Curves() {
    }

    /** A line to draw; {@link #paintCurves} thins it to the width of its panel. */
    record Curve(double[] x, double[] y, Color color, BasicStroke stroke, boolean faint) {
    }

    /**
     * At most this many points per drawn curve, and fewer in a narrow panel: two points (the lowest and highest) per
     * pixel column of the 300 dpi PNG ({@link #paintCurves}). A 10-epoch run logs
     * thousands of steps per series, which made one committed SVG 6 MB without changing a pixel of the PNG.
     */
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
    static double[] yExtent(List<Curve> curves, boolean log) {
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
    static void paintCurves(Graphics2D g, XYChart c, int ox, int oy, List<Curve> curves, boolean log) {
        FigureLayout.GraphicsState saved = FigureLayout.GraphicsState.of(g);
        Graphics2D t = g;
        t.translate(ox, oy);
        // Clip to the axis box: a faint raw curve may reach beyond the range set from the smoothed ones.
        org.knowm.xchart.style.XYStyler st = c.getStyler();
        int maxPoints = MAX_CURVE_POINTS;
        if (st.getXAxisMin() != null && st.getXAxisMax() != null && st.getYAxisMin() != null && st.getYAxisMax() != null) {
            double x0 = c.getScreenXFromChart(st.getXAxisMin()), x1 = c.getScreenXFromChart(st.getXAxisMax());
            double y0 = c.getScreenYFromChart(st.getYAxisMin()), y1 = c.getScreenYFromChart(st.getYAxisMax());
            // XChart maps every value to one point when a plot is too small for its ticks: fail, never draw flat lines.
            if (y0 == y1 || x0 == x1)
                throw new IllegalStateException("panel of " + c.getWidth() + "×" + c.getHeight()
                        + " units is too small for XChart to map its axes");
            t.clip(new java.awt.geom.Rectangle2D.Double(Math.min(x0, x1) - 1, Math.min(y0, y1) - 1,
                    Math.abs(x1 - x0) + 2, Math.abs(y1 - y0) + 2));
            // Small multiples are a fifth of the page wide: 1,200 points would be six per pixel there.
            maxPoints = Math.min(MAX_CURVE_POINTS, 2 * (int) Math.ceil(Math.abs(x1 - x0) * FigureLayout.PNG_SCALE));
        }
        for (Curve cv : curves) {
            Path2D.Double path = new Path2D.Double();
            double[][] xy = thin(cv.x(), cv.y(), maxPoints);
            double[] x = xy[0], y = xy[1];
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

    /**
     * Centred moving average: point i is the mean of the points in the window around it, the window shrinking
     * at both ends so that the curve neither lags nor loses its first and last steps. For an even window the
     * extra point is taken after i. A NaN inside the window makes that point NaN.
     *
     * @param window number of points, ≥ 1 (1 returns a copy)
     */
    static double[] movingAverage(double[] y, int window) {
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

    /**
     * Gives stacked panels the same plot left edge (and so, being equally wide, the same x scale), whatever the
     * width of their y tick labels. XChart starts the plot at a y-axis width hint when the axis is narrower than
     * the hint; each panel's hint is tuned by trial paints until the edges agree to within a pixel.
     */
    static void alignPlotLeftEdges(List<XYChart> charts, double xMin, double xMax) {
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
}
