package org.vaelab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The style of every configuration of one report: a colour, a marker and a line dash per label, fixed once from
 * the report's ordered labels and passed to every chart, so that a configuration looks the same in every figure.
 *
 * <p>Colours come from eight colour-blind-safe colours (Okabe and Ito 2008, their yellow replaced by Tol's olive,
 * which stays visible on white), taken in label order across the whole report. Marker and dash together form a
 * <em>family</em>: with groups, every group is a family (so the marker shape says the group, as in the
 * rate–distortion plane); without, every run of eight labels is one. No two labels share both colour and family,
 * so labels that share a colour differ in marker and dash: distinct for up to {@value #DISTINCT} labels.
 */
public final class Palette {

    /** Okabe–Ito without yellow, plus Tol's olive; the first colours are the most distinct on white. */
    static final List<Color> COLOURS = List.of(
            new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0x999933));
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
            SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};
    private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}, {14f, 4f},
            {2f, 3f, 2f, 3f, 8f, 3f}};
    /** Number of distinct (colour, family) pairs. */
    public static final int DISTINCT = 8 * 6;

    /**
     * One label's style.
     *
     * @param color  line and marker colour
     * @param marker marker shape (the family's)
     * @param dash   line dash pattern, null for a solid line (the family's)
     * @param group  the label's group ("" if none)
     * @param family index of the marker/dash family
     */
    public record Style(Color color, Marker marker, float[] dash, String group, int family) {
        /** A stroke of this style's dash at the given width. */
        public BasicStroke stroke(float width) {
            return dash == null
                    ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                    : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
        }

        @Override
        public float[] dash() {
            return dash == null ? null : dash.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Style s && color.equals(s.color) && marker == s.marker && Arrays.equals(dash, s.dash)
                    && group.equals(s.group) && family == s.family;
        }

        @Override
        public int hashCode() {
            return Objects.hash(color, marker, Arrays.hashCode(dash), group, family);
        }
    }

    private final Map<String, Style> styles;
    private final Map<String, String> likelihoods;

    private Palette(Map<String, Style> styles, Map<String, String> likelihoods) {
        this.styles = styles;
        this.likelihoods = likelihoods;
    }

    /** Styles for labels without groups: families by position (every eight labels). */
    public static Palette of(Collection<String> labels) {
        List<String> l = new ArrayList<>(new LinkedHashSet<>(labels));
        List<String> none = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) none.add("");
        return of(l, none);
    }

    /**
     * Styles for a report's configurations in plan order.
     *
     * @param labels configuration labels, in the order of the report (a repeated label keeps its first style)
     * @param groups each label's group, same length; "" for none. Labels without a group form families of eight
     */
    public static Palette of(List<String> labels, List<String> groups) {
        return of(labels, groups, java.util.Collections.nCopies(labels.size(), ""));
    }

    /**
     * Styles for a report's configurations in plan order, with each one's decoder likelihood (which does not
     * change its style; charts use it not to compare reconstruction terms of different likelihoods).
     *
     * @param likelihoods each label's decoder likelihood, e.g. {@code Bernoulli}, same length; "" if unknown
     */
    public static Palette of(List<String> labels, List<String> groups, List<String> likelihoods) {
        if (labels.size() != likelihoods.size())
            throw new IllegalArgumentException(labels.size() + " labels but " + likelihoods.size() + " likelihoods");
        Map<String, String> lik = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++)
            lik.putIfAbsent(labels.get(i), likelihoods.get(i) == null ? "" : likelihoods.get(i));
        if (labels.size() != groups.size())
            throw new IllegalArgumentException(labels.size() + " labels but " + groups.size() + " groups");
        Map<String, Integer> familyOfGroup = new LinkedHashMap<>();
        Map<String, Style> styles = new LinkedHashMap<>();
        Set<Long> used = new HashSet<>();
        int ungrouped = 0;
        for (int i = 0; i < labels.size(); i++) {
            String label = Objects.requireNonNull(labels.get(i), "label");
            if (styles.containsKey(label)) continue;
            String group = groups.get(i) == null ? "" : groups.get(i);
            int family;
            if (group.isEmpty()) {
                family = 1000 + ungrouped++ / COLOURS.size();   // after the groups' families, see below
            } else {
                family = familyOfGroup.computeIfAbsent(group, g -> familyOfGroup.size());
            }
            styles.put(label, new Style(Color.BLACK, null, null, group, family));
        }
        // Ungrouped families follow the groups' ones.
        int groupFamilies = familyOfGroup.size();
        Map<String, Style> out = new LinkedHashMap<>();
        int i = 0;
        for (var e : styles.entrySet()) {
            int family = e.getValue().family() >= 1000 ? groupFamilies + e.getValue().family() - 1000
                    : e.getValue().family();
            int colour = i % COLOURS.size();
            // The first free (colour, family) pair from the preferred one: colours first, then families.
            long key = pair(colour, family);
            for (int tries = 0; used.contains(key) && tries < DISTINCT; tries++) {
                colour = (colour + 1) % COLOURS.size();
                if (colour == i % COLOURS.size()) family++;
                key = pair(colour, family);
            }
            used.add(key);
            int f = family % MARKERS.length;
            out.put(e.getKey(), new Style(COLOURS.get(colour), MARKERS[f], DASHES[f], e.getValue().group(), f));
            i++;
        }
        return new Palette(java.util.Collections.unmodifiableMap(out), java.util.Collections.unmodifiableMap(lik));
    }

    private static long pair(int colour, int family) {
        return (long) (family % MARKERS.length) * COLOURS.size() + colour;
    }

    /** The style of {@code label}; an exception naming the labels there are if it has none. */
    public Style style(String label) {
        Style s = styles.get(label);
        if (s == null) throw new IllegalArgumentException("label '" + label + "' is not in the palette " + styles.keySet());
        return s;
    }

    /** Whether the palette has a style for {@code label}. */
    public boolean has(String label) {
        return styles.containsKey(label);
    }

    /** The labels, in order. */
    public List<String> labels() {
        return List.copyOf(styles.keySet());
    }

    /** The label's decoder likelihood, "" if unknown. */
    public String likelihood(String label) {
        style(label);
        return likelihoods.getOrDefault(label, "");
    }

    /** The label's group, "" if none. */
    public String group(String label) {
        return style(label).group();
    }

    /**
     * This palette if it has every label, else a palette of the labels alone: a chart called without the report's
     * palette still draws, with styles of its own.
     */
    static Palette covering(Palette p, Collection<String> labels) {
        if (p != null && labels.stream().allMatch(p::has)) return p;
        return of(labels);
    }
}
