package org.vaelab.report;

import static org.vaelab.report.FigureLayout.LEGEND_FONT;
import static org.vaelab.report.FigureLayout.TEXT;
import static org.vaelab.report.FigureLayout.drawText;
import static org.vaelab.report.FigureLayout.textWidth;

import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vaelab.report.FigureFrame.LegendEntry;

/**
 * Small multiples: configurations split into panels of a few curves each, one panel (or row of panels) per group
 * of configurations, each headed by its group's name and its configurations in their palette styles, which serve
 * as that panel's legend.
 */
final class SmallMultiples {

    /** One panel's (or row's) configurations and the heading above them. */
    record Row(String heading, List<String> labels) {
    }

    private static final java.awt.Font HEADING_FONT = LEGEND_FONT.deriveFont(java.awt.Font.BOLD);

    private SmallMultiples() {
    }

    /** The labels by group, in palette order; a group of more than {@code max} labels (ungrouped
     * labels: {@code max / 2}) is split evenly. */
    static List<Row> rows(Palette p, List<String> labels, int max) {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (String l : labels) byGroup.computeIfAbsent(p.group(l), g -> new ArrayList<>()).add(l);
        List<Row> rows = new ArrayList<>();
        byGroup.forEach((group, ls) -> {
            // Split evenly: 10 labels are two rows of 5, not 8 and 2.
            // Configurations without a group are not a family: at most half as many share a panel.
            int limit = group.isEmpty() ? Math.max(1, max / 2) : max;
            int parts = (ls.size() + limit - 1) / limit, size = (ls.size() + parts - 1) / parts;
            for (int i = 0; i < ls.size(); i += size)
                rows.add(new Row(group, ls.subList(i, Math.min(ls.size(), i + size))));
        });
        return rows;
    }

    /** One configuration in a heading: where its swatch goes and its label's lines. */
    record Placed(String label, double x, int line, List<String> text) {
    }

    /** A laid-out heading: the group's name on line 0, the configurations after it, {@code lines} lines in all. */
    record Header(Row row, List<Placed> placed, int lines) {
        double height() {
            return lines * FigureFrame.ROW;
        }
    }

    /**
     * Lays out a row's heading in {@code width}: the group's name, then its configurations as legend entries, as
     * many a line as fit; a label too long for a line of its own is broken over two.
     */
    static Header flow(Row row, double width) {
        List<Placed> placed = new ArrayList<>();
        double x = row.heading().isEmpty() ? 0 : textWidth(row.heading() + ":", HEADING_FONT) + FigureFrame.ENTRY_GAP;
        int line = 0, lines = 1;
        boolean lineEmpty = true;
        for (String l : row.labels()) {
            double w = LegendEntry.width(l);
            if (x > 0 && x + w > width) {   // next line
                line = lines;
                x = 0;
                lineEmpty = true;
            }
            List<String> text = List.of(l);
            if (lineEmpty && x + w > width) {
                double max = width - x - LegendEntry.SWATCH - LegendEntry.SWATCH_GAP;
                text = FigureLayout.wrap(l, LEGEND_FONT, max);
                w = 0;
                for (String t : text) w = Math.max(w, LegendEntry.width(t));
            }
            placed.add(new Placed(l, x, line, text));
            lines = Math.max(lines, line + text.size());
            if (text.size() > 1) {   // a broken label takes its lines whole
                line = lines;
                x = 0;
                lineEmpty = true;
                continue;
            }
            x += w + FigureFrame.ENTRY_GAP;
            lineEmpty = false;
        }
        return new Header(row, List.copyOf(placed), lines);
    }

    /** Paints a heading, its top at {@code top}, its left edge at {@code left}. */
    static void paintHeader(Graphics2D g, Header h, Palette p, boolean markers, double left, double top) {
        if (!h.row().heading().isEmpty()) {
            g.setFont(HEADING_FONT);
            g.setColor(TEXT);
            drawText(g, h.row().heading() + ":", left, top + 0.5 * FigureFrame.ROW + 5);
        }
        for (Placed e : h.placed()) {
            Palette.Style s = p.style(e.label());
            LegendEntry entry = markers ? LegendEntry.lineAndMarker(e.label(), s) : LegendEntry.line(e.label(), s);
            FigureFrame.paintEntry(g, entry, e.text(), left + e.x(), top + (e.line() + 0.5) * FigureFrame.ROW);
        }
    }
}
