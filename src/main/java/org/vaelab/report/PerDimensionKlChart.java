package org.vaelab.report;

import static org.vaelab.report.FigureLayout.LINE_WIDTH;
import static org.vaelab.report.FigureLayout.PLOT_HEIGHT;
import static org.vaelab.report.FigureLayout.WIDTH;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vaelab.report.FigureFrame.LegendEntry;

/**
 * The KL of each latent dimension, sorted in descending order, one line per configuration: how many dimensions
 * carry information and how the rate is shared among them. Build each series with
 * {@link Series#sortedDescending(String, double[])} from the per-dimension KL.
 *
 * <p>Up to {@value TrainingCurvesChart#MAX_CURVES_PER_PANEL} configurations share one panel with a legend; more
 * become small multiples, one panel per group (two panels a row, shared axes), headed by the group's
 * configurations, with the reference configuration drawn in grey in every panel it does not belong to.
 */
public final class PerDimensionKlChart {

    /** Height of one small multiple (with its x tick labels; the bottom row is taller by the x-axis title). */
    static final int SMALL_PANEL_HEIGHT = 150;
    private static final Color REFERENCE = new Color(0xAAAAAA);
    private static final String X_TITLE = "latent dimension (sorted by KL)";
    private static final String SHORT_X_TITLE = "dimension (sorted)";

    private PerDimensionKlChart() {
    }

    /** Each label styled on its own, no reference. */
    public static List<Path> write(String title, List<Series> sortedKlPerLabel, Path outBase) throws IOException {
        return write(title, sortedKlPerLabel, null, null, outBase);
    }

    /**
     * Writes the figure.
     *
     * @param palette   the report's styles; null or lacking a label: styles of these labels alone
     * @param reference label drawn in grey in every small multiple for comparison; null for none
     * @param outBase   path without extension; {@code .png}, {@code .svg} and {@code .pdf} are added
     * @return the PNG, SVG and PDF paths
     * @throws IllegalArgumentException if the list is empty or a label repeats
     */
    public static List<Path> write(String title, List<Series> sortedKlPerLabel, Palette palette, String reference,
                                   Path outBase) throws IOException {
        Objects.requireNonNull(title, "title");
        FigureLayout.checkSeries("sortedKlPerLabel", sortedKlPerLabel);
        Set<String> labels = new LinkedHashSet<>();
        int maxPoints = 0;
        double yMax = 0, xMax = 1;
        boolean nonNegative = true;
        for (Series s : sortedKlPerLabel) {
            labels.add(s.label());
            maxPoints = Math.max(maxPoints, s.size());
            for (double x : s.x()) xMax = Math.max(xMax, x);
            for (double y : s.y()) {
                if (Double.isFinite(y)) yMax = Math.max(yMax, y);
                if (y < 0) nonNegative = false;
            }
        }
        Palette p = Palette.covering(palette, labels);
        List<String> ordered = p.labels().stream().filter(labels::contains).toList();
        boolean markers = maxPoints <= 32;   // beyond that the markers merge into a thick line
        if (ordered.size() <= TrainingCurvesChart.MAX_CURVES_PER_PANEL) {
            List<LegendEntry> entries = new ArrayList<>();
            for (String label : ordered)
                entries.add(markers ? LegendEntry.lineAndMarker(label, p.style(label)) : LegendEntry.line(label, p.style(label)));
            FigureFrame frame = new FigureFrame(PLOT_HEIGHT, title, null, entries);
            XYChart c = chart(frame.plotWidth, frame.plotHeight, X_TITLE, "KL (nats)", sortedKlPerLabel, ordered, null,
                    p, markers, nonNegative ? 0.0 : null, null);
            return FigureExport.write(outBase, frame, g -> FigureLayout.paintChart(g, c, frame.plotX, frame.plotY));
        }

        List<SmallMultiples.Row> rows = SmallMultiples.rows(p, ordered, TrainingCurvesChart.MAX_CURVES_PER_PANEL);
        String ref = reference != null && labels.contains(reference) ? reference : null;
        int gap = 10, columnWidth = (WIDTH - gap) / 2, gridRows = (rows.size() + 1) / 2;
        List<SmallMultiples.Header> headers = new ArrayList<>();
        for (SmallMultiples.Row row : rows) headers.add(SmallMultiples.flow(row, columnWidth - 6));
        int[] headerHeight = new int[gridRows], top = new int[gridRows];
        for (int i = 0; i < rows.size(); i++)
            headerHeight[i / 2] = Math.max(headerHeight[i / 2], (int) Math.ceil(headers.get(i).height()) + 2);
        List<XYChart> charts = new ArrayList<>();
        int y = 0;
        for (int r = 0; r < gridRows; r++) {
            top[r] = y;
            boolean bottom = r == gridRows - 1;
            y += headerHeight[r] + SMALL_PANEL_HEIGHT + (bottom ? 26 : 0) + 8;
        }
        for (int i = 0; i < rows.size(); i++) {
            SmallMultiples.Row row = rows.get(i);
            boolean bottom = i / 2 == gridRows - 1;
            String extra = ref == null || row.labels().contains(ref) ? null : ref;
            XYChart c = chart(columnWidth, SMALL_PANEL_HEIGHT + (bottom ? 26 : 0), bottom ? SHORT_X_TITLE : null,
                    i % 2 == 0 ? "KL (nats)" : null,
                    sortedKlPerLabel, row.labels(), extra, p, markers, nonNegative ? 0.0 : null, yMax);
            c.getStyler().setXAxisMax(xMax + 0.5);
            c.getStyler().setXAxisMin(0.5);
            charts.add(c);
        }
        for (int col = 0; col < 2; col++) {
            List<XYChart> column = new ArrayList<>();
            for (int i = col; i < charts.size(); i += 2) column.add(charts.get(i));
            Curves.alignPlotLeftEdges(column, 0.5, xMax + 0.5);
        }
        String note = ref == null ? null : "Grey: " + ref + " in every panel, for reference.";
        FigureFrame frame = new FigureFrame(y, title, note, List.of());
        return FigureExport.write(outBase, frame, g -> {
            for (int i = 0; i < rows.size(); i++) {
                int x = (i % 2) * (columnWidth + gap), t = frame.plotY + top[i / 2];
                SmallMultiples.paintHeader(g, headers.get(i), p, markers, x + 4, t);
                FigureLayout.paintChart(g, charts.get(i), x, t + headerHeight[i / 2]);
            }
        });
    }

    /** A chart of the named labels' series (plus {@code extra} in grey, behind them). */
    private static XYChart chart(int width, int height, String xTitle, String yTitle, List<Series> all,
                                 List<String> labels, String extra, Palette p, boolean markers, Double yMin,
                                 Double yMax) {
        XYChart c = FigureLayout.newChart(width, height, xTitle == null ? " " : xTitle, yTitle == null ? " " : yTitle);
        XYStyler st = c.getStyler();
        st.setMarkerSize(6);
        st.setXAxisTitleVisible(xTitle != null);
        st.setYAxisTitleVisible(yTitle != null);
        // Ranks are equally spaced integers, so XChart puts the ticks on them; print them without decimals.
        st.setXAxisDecimalPattern("0");
        if (yMin != null) st.setYAxisMin(yMin);
        if (yMax != null) st.setYAxisMax(yMax * 1.04);
        int k = 0;
        for (Series s : all)
            if (s.label().equals(extra)) {
                XYSeries line = c.addSeries("ref#" + k++, s.x(), s.y());
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(REFERENCE);
                line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            }
        for (String l : labels)
            for (Series s : all)
                if (s.label().equals(l)) {
                    Palette.Style style = p.style(l);
                    XYSeries line = c.addSeries("kl#" + k++, s.x(), s.y());
                    line.setMarker(markers ? style.marker() : SeriesMarkers.NONE);
                    line.setMarkerColor(style.color());
                    line.setLineColor(style.color());
                    line.setLineStyle(style.stroke(LINE_WIDTH));
                }
        return c;
    }
}
