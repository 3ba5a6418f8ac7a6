package org.vaelab.report;

import static org.vaelab.report.FigureLayout.FRC;
import static org.vaelab.report.FigureLayout.LEGEND_FONT;
import static org.vaelab.report.FigureLayout.LINE_WIDTH;
import static org.vaelab.report.FigureLayout.MARKER_SIZE;
import static org.vaelab.report.FigureLayout.MIN_FONT_SIZE;
import static org.vaelab.report.FigureLayout.MIN_LINE_WIDTH;
import static org.vaelab.report.FigureLayout.MUTED;
import static org.vaelab.report.FigureLayout.NOTE_FONT;
import static org.vaelab.report.FigureLayout.TEXT;
import static org.vaelab.report.FigureLayout.TITLE_FONT;
import static org.vaelab.report.FigureLayout.WIDTH;
import static org.vaelab.report.FigureLayout.drawText;
import static org.vaelab.report.FigureLayout.lineHeight;
import static org.vaelab.report.FigureLayout.textWidth;
import static org.vaelab.report.FigureLayout.wrap;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.LineMetrics;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.knowm.xchart.style.markers.Marker;

/**
 * Where the parts of a figure go: a title band (title and an optional note), the plot area, and the legend, which
 * never shares space with a plot and is never taller than the plot area. A legend whose entries are short and few
 * goes in a column to the right of the plots; otherwise it goes below them in as many columns as make it shortest
 * (a label too long for its column is broken over two lines). Entries that are equal (same label and the same
 * swatch) are shown once.
 */
final class FigureFrame {

    static final int PAD = 8, ROW = 18, ENTRY_GAP = 14, TITLE_GAP = 6;
    /** A legend wider than this share of the figure goes below the plots instead. */
    static final double MAX_LEGEND_SHARE = 0.34;
    /** At most this many legend columns below the plots. */
    static final int MAX_COLUMNS = 4;

    /** One legend row: a short line and/or a marker in the entry's colour, then the label. */
    record LegendEntry(String label, Color color, Marker marker, BasicStroke stroke) {
        static LegendEntry line(String label, Palette.Style s) {
            return new LegendEntry(label, s.color(), null, s.stroke(LINE_WIDTH));
        }

        static LegendEntry line(String label, Color color, BasicStroke stroke) {
            return new LegendEntry(label, color, null, stroke);
        }

        static LegendEntry marker(String label, Palette.Style s) {
            return new LegendEntry(label, s.color(), s.marker(), null);
        }

        static LegendEntry lineAndMarker(String label, Palette.Style s) {
            return new LegendEntry(label, s.color(), s.marker(), s.stroke(LINE_WIDTH));
        }

        double width() {
            return width(label);
        }

        static double width(String text) {
            return SWATCH + SWATCH_GAP + textWidth(text, LEGEND_FONT);
        }

        static final int SWATCH = 24, SWATCH_GAP = 6;
    }

    final int width = WIDTH, height;
    final Font titleFont;
    final List<String> titleLines, noteLines;
    final List<LegendEntry> entries;
    final List<List<String>> labelLines;   // each legend label, on one or two lines
    final boolean legendRight;
    final int plotX, plotY, plotWidth, plotHeight;
    final int[] columnOf;                  // legend column of each entry (column-major)
    final int[] lineOf;                    // first legend line of each entry within its column
    final double[] columnX;
    final int legendY, legendHeight;

    FigureFrame(int plotHeight, String title, String note, List<LegendEntry> legend) {
        entries = List.copyOf(new LinkedHashSet<>(legend));
        int n = entries.size();
        titleFont = fitTitleFont(title, width - 2 * PAD);
        titleLines = wrap(title, titleFont, width - 2 * PAD);
        noteLines = note == null ? List.of() : wrap(note, NOTE_FONT, width - 2 * PAD);
        int titleHeight = (int) Math.ceil(PAD + titleLines.size() * lineHeight(titleFont)
                + (noteLines.isEmpty() ? 0 : 2 + noteLines.size() * lineHeight(NOTE_FONT)) + TITLE_GAP);
        plotX = 0;
        plotY = titleHeight;
        this.plotHeight = plotHeight;
        columnOf = new int[n];
        lineOf = new int[n];
        double widest = 0;
        for (LegendEntry e : entries) widest = Math.max(widest, e.width());
        int rightWidth = (int) Math.ceil(widest) + 2 * PAD;
        legendRight = n > 0 && rightWidth <= MAX_LEGEND_SHARE * width && n * ROW + 2 * PAD <= plotHeight;
        if (n == 0) {
            labelLines = List.of();
            columnX = new double[0];
            plotWidth = width;
            legendY = plotY + plotHeight;
            legendHeight = 0;
            height = plotY + plotHeight;
        } else if (legendRight) {
            List<List<String>> ll = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ll.add(List.of(entries.get(i).label()));
                lineOf[i] = i;
            }
            labelLines = List.copyOf(ll);
            columnX = new double[]{width - rightWidth + PAD};
            plotWidth = width - rightWidth;
            legendY = plotY + PAD;
            legendHeight = n * ROW;
            height = plotY + plotHeight;
        } else {
            plotWidth = width;
            Below best = null;
            for (int c = 1; c <= Math.min(MAX_COLUMNS, n); c++) {
                Below b = Below.of(entries, c, width - 2 * PAD);
                if (b != null && (best == null || b.score() < best.score())) best = b;
            }
            if (best == null) best = Below.of(entries, 1, Double.POSITIVE_INFINITY);
            labelLines = best.lines;
            System.arraycopy(best.columnOf, 0, columnOf, 0, n);
            System.arraycopy(best.lineOf, 0, lineOf, 0, n);
            double total = (best.widths.length - 1) * ENTRY_GAP;
            for (double w : best.widths) total += w;
            columnX = new double[best.widths.length];
            double x = Math.max(PAD, (width - total) / 2);
            for (int c = 0; c < columnX.length; c++) {
                columnX[c] = x;
                x += best.widths[c] + ENTRY_GAP;
            }
            legendY = plotY + plotHeight + PAD / 2;
            legendHeight = best.height * ROW;
            height = legendY + legendHeight + PAD;
        }
    }

    /** A legend below the plots in a given number of columns, filled column after column. */
    private record Below(List<List<String>> lines, int[] columnOf, int[] lineOf, double[] widths, int height,
                         int wrapped) {
        /** The layout, or null if a label would need more than two lines in a column this narrow. */
        static Below of(List<LegendEntry> entries, int columns, double available) {
            int n = entries.size(), rows = (n + columns - 1) / columns;
            columns = (n + rows - 1) / rows;
            // Columns as wide as their widest label, if they fit side by side: no label broken.
            double[] natural = new double[columns];
            for (int i = 0; i < n; i++) natural[i / rows] = Math.max(natural[i / rows], entries.get(i).width());
            double total = (columns - 1) * ENTRY_GAP;
            for (double w : natural) total += w;
            if (total <= available) {
                List<List<String>> lines = new ArrayList<>();
                int[] columnOf = new int[n], lineOf = new int[n];
                for (int i = 0; i < n; i++) {
                    lines.add(List.of(entries.get(i).label()));
                    columnOf[i] = i / rows;
                    lineOf[i] = i % rows;
                }
                return new Below(List.copyOf(lines), columnOf, lineOf, natural, rows, 0);
            }
            // Else equal columns, a label too long for its column broken over two lines.
            double columnWidth = (available - (columns - 1) * ENTRY_GAP) / columns;
            double labelMax = columnWidth - LegendEntry.SWATCH - LegendEntry.SWATCH_GAP;
            List<List<String>> lines = new ArrayList<>();
            int[] columnOf = new int[n], lineOf = new int[n], used = new int[columns];
            double[] widths = new double[columns];
            int wrapped = 0;
            for (int i = 0; i < n; i++) {
                String label = entries.get(i).label();
                List<String> l = textWidth(label, LEGEND_FONT) <= labelMax ? List.of(label)
                        : wrap(label, LEGEND_FONT, labelMax);
                if (l.size() > 2) return null;
                for (String s : l) if (textWidth(s, LEGEND_FONT) > labelMax) return null;
                wrapped += l.size() - 1;
                int c = i / rows;
                columnOf[i] = c;
                lineOf[i] = used[c];
                used[c] += l.size();
                for (String s : l) widths[c] = Math.max(widths[c], LegendEntry.width(s));
                lines.add(l);
            }
            int height = 0;
            for (int u : used) height = Math.max(height, u);
            return new Below(List.copyOf(lines), columnOf, lineOf, widths, height, wrapped);
        }

        /** Shorter is better; a broken label costs a little, so that columns are not made narrow for one line. */
        double score() {
            return height + 0.5 * wrapped;
        }
    }

    /** The title font, made up to two sizes smaller (never below the smallest font) if that fits one line. */
    private static Font fitTitleFont(String title, double max) {
        for (Font f = TITLE_FONT; f.getSize2D() >= Math.max(MIN_FONT_SIZE, TITLE_FONT.getSize2D() - 2);
             f = f.deriveFont(f.getSize2D() - 1))
            if (textWidth(title, f) <= max) return f;
        return TITLE_FONT;
    }

    void paintDecorations(Graphics2D g) {
        double y = PAD;
        g.setColor(TEXT);
        y = paintCentred(g, titleLines, titleFont, y);
        if (!noteLines.isEmpty()) {
            g.setColor(MUTED);
            paintCentred(g, noteLines, NOTE_FONT, y + 2);
        }
        for (int i = 0; i < entries.size(); i++)
            paintEntry(g, entries.get(i), labelLines.get(i), columnX[columnOf[i]],
                    legendY + lineOf[i] * ROW + ROW / 2.0);
    }

    /** Draws the lines centred, the first one's top at {@code top}; returns the bottom of the last. */
    private double paintCentred(Graphics2D g, List<String> lines, Font font, double top) {
        g.setFont(font);
        for (String l : lines) {
            LineMetrics m = font.getLineMetrics(l, FRC);
            drawText(g, l, (width - textWidth(l, font)) / 2, top + m.getAscent());
            top += lineHeight(font);
        }
        return top;
    }

    /** One legend entry: its swatch centred on {@code cy}, then its label's lines. */
    static void paintEntry(Graphics2D g, LegendEntry e, List<String> lines, double x, double cy) {
        FigureLayout.GraphicsState saved = FigureLayout.GraphicsState.of(g);
        g.setColor(e.color());
        if (e.stroke() != null) {
            g.setStroke(e.stroke());
            g.draw(new Line2D.Double(x + 1, cy, x + LegendEntry.SWATCH - 1, cy));
        }
        if (e.marker() != null) {
            g.setStroke(new BasicStroke(MIN_LINE_WIDTH));
            e.marker().paint(g, x + LegendEntry.SWATCH / 2.0, cy, MARKER_SIZE);
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
