package org.vaelab.report;

import static org.vaelab.report.FigureLayout.LINE_WIDTH;
import static org.vaelab.report.FigureLayout.PANEL_HEIGHT;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vaelab.report.Curves.Curve;
import org.vaelab.train.TestCurve;

/**
 * The test IW-NLL against the epoch, one line per configuration (mean over its seeds), for runs that recorded a
 * {@link TestCurve}: whether the runs had stopped improving when they stopped. Configurations whose decoder likelihood
 * differs from the majority's (a Gaussian σ-VAE among Bernoulli rows) are left out, and the note says so: their NLL
 * is a density in other units and would flatten every other line.
 */
public final class TestCurveChart {

    private TestCurveChart() {
    }

    /**
     * Writes the figure if any run has a curve; otherwise writes nothing.
     *
     * @param finished the report's finished runs by configuration label
     * @param palette  the report's styles
     * @param outBase  path without extension
     * @return the PNG, SVG and PDF paths, or an empty list when no run has a curve
     */
    public static List<Path> writeIfAny(Map<String, List<RunRecord>> finished, Palette palette, Path outBase)
            throws IOException {
        Map<String, Series> all = meanCurves(finished);
        if (all.isEmpty()) return List.of();
        Map<String, Integer> votes = new TreeMap<>();
        for (String label : all.keySet()) votes.merge(palette.likelihood(label), 1, Integer::sum);
        String majority = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<String> labels = new ArrayList<>(), left = new ArrayList<>();
        for (String label : palette.labels())
            if (all.containsKey(label)) (palette.likelihood(label).equals(majority) ? labels : left).add(label);
        String note = "Mean over seeds of the IW-NLL (K = 100) of the first 1,000 test images, measured every few epochs"
                + " with the same importance samples."
                + (left.isEmpty() ? "" : " Not drawn (another decoder likelihood, not comparable): "
                + String.join(", ", left) + ".");
        List<Curve> curves = new ArrayList<>();
        List<FigureFrame.LegendEntry> legend = new ArrayList<>();
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        for (String label : labels) {
            Series s = all.get(label);
            Palette.Style st = palette.style(label);
            curves.add(new Curve(s.x(), s.y(), st.color(), st.stroke(LINE_WIDTH), false));
            legend.add(FigureFrame.LegendEntry.line(label, st));
            for (double x : s.x()) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
        }
        if (xMin == xMax) {
            xMin -= 0.5;
            xMax += 0.5;
        }
        // The first epochs fall by tens of nats and the schemes end a nat or two apart: with 6 or more points a second
        // panel shows the second half of the run on its own scale.
        int points = all.get(labels.get(0)).x().length;
        double zoomFrom = Double.NaN;
        if (points >= 6) {
            // The first measured epoch of the second half, so that the caption names an epoch that was measured.
            double half = xMin + (xMax - xMin) / 2;
            for (double x : all.get(labels.get(0)).x()) if (x >= half) { zoomFrom = x; break; }
        }
        List<Curve> tail = new ArrayList<>();
        if (!Double.isNaN(zoomFrom))
            for (Curve cv : curves) {
                List<double[]> kept = new ArrayList<>();
                for (int i = 0; i < cv.x().length; i++) if (cv.x()[i] >= zoomFrom) kept.add(new double[]{cv.x()[i], cv.y()[i]});
                tail.add(new Curve(kept.stream().mapToDouble(v -> v[0]).toArray(), kept.stream().mapToDouble(v -> v[1]).toArray(),
                        cv.color(), cv.stroke(), false));
            }
        int h = 2 * PANEL_HEIGHT;
        FigureFrame frame = new FigureFrame(tail.isEmpty() ? h : 2 * h, "Test IW-NLL during training", note
                + (tail.isEmpty() ? "" : " Below: from epoch " + (int) zoomFrom + " on, on its own scale."), legend);
        XYChart c = panel(frame.plotWidth, h, xMin, xMax, Curves.yExtent(curves, false));
        XYChart z = tail.isEmpty() ? null : panel(frame.plotWidth, h, zoomFrom, xMax, Curves.yExtent(tail, false));
        return FigureExport.write(outBase, frame, g -> {
            FigureLayout.paintChart(g, c, frame.plotX, frame.plotY);
            Curves.paintCurves(g, c, frame.plotX, frame.plotY, curves, false);
            if (z != null) {
                FigureLayout.paintChart(g, z, frame.plotX, frame.plotY + h);
                Curves.paintCurves(g, z, frame.plotX, frame.plotY + h, tail, false);
            }
        });
    }

    /** Axes over the given ranges; XChart draws only them, from an invisible series, and the curves are painted over. */
    private static XYChart panel(int width, int height, double xMin, double xMax, double[] yr) {
        XYChart c = FigureLayout.newChart(width, height, "epoch", "test IW-NLL (nats)");
        // Three unevenly spaced values: XChart puts ticks only on equally spaced data values, and two would be the ends.
        XYSeries extent = c.addSeries("extent", new double[]{xMin, xMax, xMin + (xMax - xMin) / 3},
                new double[]{yr[0], yr[1], yr[0] + (yr[1] - yr[0]) / 3});
        extent.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        extent.setMarker(SeriesMarkers.NONE);
        c.getStyler().setXAxisMin(xMin);
        c.getStyler().setXAxisMax(xMax);
        c.getStyler().setYAxisMin(yr[0]);
        c.getStyler().setYAxisMax(yr[1]);
        return c;
    }

    /** Per label, the mean IW-NLL over its runs at every epoch any of them recorded; labels without curves omitted. */
    static Map<String, Series> meanCurves(Map<String, List<RunRecord>> finished) {
        Map<String, Series> out = new LinkedHashMap<>();
        finished.forEach((label, runs) -> {
            TreeMap<Integer, double[]> sums = new TreeMap<>();
            for (RunRecord r : runs) {
                if (r.steps() == null) continue;
                for (TestCurve.Point p : r.steps().curve().points()) {
                    double[] s = sums.computeIfAbsent(p.epoch(), e -> new double[2]);
                    s[0] += p.iwNll();
                    s[1]++;
                }
            }
            if (sums.isEmpty()) return;
            double[] x = new double[sums.size()], y = new double[sums.size()];
            int i = 0;
            for (var e : sums.entrySet()) {
                x[i] = e.getKey();
                y[i++] = e.getValue()[0] / e.getValue()[1];
            }
            out.put(label, new Series(label, x, y));
        });
        return out;
    }
}
