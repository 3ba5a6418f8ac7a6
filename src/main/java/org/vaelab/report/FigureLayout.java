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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.XYStyler;

import de.erichseifert.vectorgraphics2d.VectorHints;

/**
 * The shared layout of every report figure: page size, fonts, colours, text drawing and the XChart styling. The
 * chart classes ({@link TrainingCurvesChart}, {@link RateDistortionChart}, {@link PerDimensionKlChart},
 * {@link KlHeatmapChart}) draw with these; {@link FigureFrame} places title, plots and legend; {@link FigureExport}
 * writes PNG, SVG and PDF.
 *
 * <p>Sizes are in logical units, {@link #WIDTH} wide, chosen for a figure printed {@link #PRINT_WIDTH_INCHES}
 * inches (8.4 cm, one column of a two-column paper) wide: there one unit is {@link #POINTS_PER_UNIT} pt, so the
 * smallest text ({@value #MIN_FONT_SIZE} units) is at least 7 pt and the thinnest line ({@value #MIN_LINE_WIDTH}
 * unit) at least 0.5 pt. The PDF's page is that print size, so {@code \includegraphics} without a width places
 * it right; the PNG is {@value #PNG_DPI} dpi at that size ({@link #PNG_WIDTH_PX} pixels wide, tagged so in its
 * pHYs chunk); the SVG is {@link #WIDTH} user units wide. Heights vary with the panels, the legend and the title.
 */
final class FigureLayout {

    /** Width at which the figures are meant to be printed: one column of a two-column paper. */
    static final double PRINT_WIDTH_INCHES = 3.3;
    /** Width of every figure in logical units. */
    static final int WIDTH = 450;
    /** Size of one logical unit in points when the figure is printed {@link #PRINT_WIDTH_INCHES} wide. */
    static final double POINTS_PER_UNIT = PRINT_WIDTH_INCHES * 72 / WIDTH;
    /** Resolution of the PNG files at the print width. */
    static final int PNG_DPI = 300;
    /** Width of the PNG files in pixels: {@link #PRINT_WIDTH_INCHES} at {@link #PNG_DPI}. */
    static final int PNG_WIDTH_PX = (int) Math.round(PRINT_WIDTH_INCHES * PNG_DPI);
    /** Pixels of the PNG per logical unit. */
    static final double PNG_SCALE = (double) PNG_WIDTH_PX / WIDTH;
    /** Height of the plot area of the single-panel figures (one panel of a chart). */
    static final int PLOT_HEIGHT = 300;
    /** Height of one stacked panel of the training curves; the bottom one is taller by the x-axis title. */
    static final int PANEL_HEIGHT = 160;
    /** Smallest font size used anywhere, in logical units. */
    static final int MIN_FONT_SIZE = 14;
    /** Thinnest line drawn anywhere (grid, frame, ELBO contours, raw curves behind smoothed ones), in logical units. */
    static final float MIN_LINE_WIDTH = 1.0f;

    static final Color TEXT = new Color(0x222222);
    static final Color MUTED = new Color(0x666666);
    static final Color FRAME = new Color(0x888888);
    static final Color GRID = new Color(0xE6E6E6);
    static final Color MEAN_LINE = new Color(0x555555);
    static final Color CONTOUR = new Color(0xC8C8C8);
    static final Color CONTOUR_TEXT = new Color(0x999999);

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font NOTE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    static final Font CONTOUR_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, MIN_FONT_SIZE);
    /** Every font, for the legibility check in the tests. */
    static final List<Font> FONTS = List.of(TITLE_FONT, NOTE_FONT, AXIS_TITLE_FONT, TICK_FONT, LEGEND_FONT,
            CONTOUR_FONT);
    static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    static final float LINE_WIDTH = 2.0f;
    static final int MARKER_SIZE = 8;

    private FigureLayout() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers shared by the charts

    static void checkSeries(String what, List<Series> series) {
        if (series.isEmpty()) throw new IllegalArgumentException(what + ": no series to plot");
        Set<String> seen = new LinkedHashSet<>();
        for (Series s : series)
            if (!seen.add(s.label()))
                throw new IllegalArgumentException(what + ": label '" + s.label() + "' occurs twice");
    }


    static double pad(double lo, double hi) {
        double range = hi - lo;
        if (range > 0) return 0.08 * range;
        return lo == 0 ? 1 : 0.05 * Math.abs(lo);
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    static String formatNumber(double v) {
        String s = Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf((long) Math.rint(v))
                : String.format(Locale.ROOT, "%.1f", v);
        return s.replace('-', '\u2212');
    }

    static BasicStroke meanStroke() {
        return new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[]{6f, 4f}, 0f);
    }

    static BasicStroke contourStroke() {
        return new BasicStroke(MIN_LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    }

    static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * alpha));
    }

    /** The colour mixed with white, opaque, so that overlapping faint lines do not darken into noise. */
    static Color tint(Color c, double amount) {
        return new Color(mix(c.getRed(), amount), mix(c.getGreen(), amount), mix(c.getBlue(), amount));
    }

    static int mix(int channel, double amount) {
        return (int) Math.round(255 - (255 - channel) * amount);
    }


    static XYChart newChart(int width, int height, String xTitle, String yTitle) {
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

    static void paintChart(Graphics2D g, XYChart c, int x, int y) {
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
    record GraphicsState(AffineTransform transform, Shape clip, Stroke stroke, Paint paint, Color color,
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


    /**
     * Draws text in the current font. A PDF graphics (marked with VectorGraphics2D's vector-text hint) gets the
     * glyph outlines, since its text operators cannot show Greek letters; everywhere else this is {@code drawString}.
     */
    static void drawText(Graphics2D g, String text, double x, double y) {
        if (g.getRenderingHint(VectorHints.KEY_TEXT) == VectorHints.VALUE_TEXT_VECTOR)
            g.fill(g.getFont().createGlyphVector(FRC, text).getOutline((float) x, (float) y));
        else
            g.drawString(text, (float) x, (float) y);
    }

    /** Height of one line of text in {@code f}. */
    static double lineHeight(Font f) {
        LineMetrics m = f.getLineMetrics("Hβy", FRC);
        return m.getAscent() + m.getDescent() + m.getLeading();
    }

    static double textWidth(String text, Font f) {
        return f.getStringBounds(text, FRC).getWidth();
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

    /** Draws {@code text} with its left end at x and its baseline at y, rotated by {@code angle} radians about that point. */
    static void drawRotated(Graphics2D g, String text, double x, double y, double angle) {
        AffineTransform t0 = g.getTransform();
        g.translate(x, y);
        g.rotate(angle);
        drawText(g, text, 0, 0);
        g.setTransform(t0);
    }
}
