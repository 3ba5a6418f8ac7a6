package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaletteTest {

    @TempDir
    Path dir;

    private static void assertDistinct(Palette p, List<String> labels) {
        Set<String> colourMarker = new HashSet<>(), colourDash = new HashSet<>();
        for (String l : labels) {
            Palette.Style s = p.style(l);
            assertTrue(colourMarker.add(s.color() + "/" + s.marker().getClass().getSimpleName()),
                    l + " shares colour and marker with another label");
            assertTrue(colourDash.add(s.color() + "/" + Arrays.toString(s.dash())),
                    l + " shares colour and line dash with another label");
        }
    }

    /** The shoot-out's 18 configurations: no two share both colour and marker, nor colour and dash. */
    @Test
    void eighteenLabelsHaveDistinctStyles() {
        assertDistinct(SyntheticRuns.shootoutPalette(), SyntheticRuns.SHOOTOUT);
        assertDistinct(Palette.of(SyntheticRuns.SHOOTOUT), SyntheticRuns.SHOOTOUT);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < Palette.DISTINCT; i++) many.add("config " + i);
        assertDistinct(Palette.of(many), many);
    }

    /** With groups, the marker says the group: one marker per group, and groups differ in marker. */
    @Test
    void groupsChooseTheMarker() {
        Palette p = SyntheticRuns.shootoutPalette();
        assertSame(p.style("β=0.1").marker(), p.style("β=8").marker());
        assertTrue(p.style("β=1").marker() != p.style("capacity C=25").marker());
        assertEquals("β-VAE", p.group("β=4"));
        // The eight colours are used before any repeats, across groups.
        Set<Color> first = new HashSet<>();
        for (String l : SyntheticRuns.SHOOTOUT.subList(0, 8)) first.add(p.style(l).color());
        assertEquals(8, first.size());
        assertThrows(IllegalArgumentException.class, () -> p.style("not a label"));
    }

    /** Built twice from the same plan, a palette gives the same styles; a figure of some labels reuses it whole. */
    @Test
    void stylesAreStableAcrossFigures() throws IOException {
        Palette a = SyntheticRuns.shootoutPalette(), b = SyntheticRuns.shootoutPalette();
        for (String l : SyntheticRuns.SHOOTOUT) assertEquals(a.style(l), b.style(l));
        assertSame(a, Palette.covering(a, List.of("β=1", "warm-up 10 ep")), "a subset keeps the report's styles");
        // Drawn in two figures, "cyclical M=4 R=0.5" has its colour in both.
        Color c = a.style("cyclical M=4 R=0.5").color();
        String rgb = "rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")";
        List<Series> kl = SyntheticRuns.shootoutSortedKl(1).stream().filter(s -> s.label().startsWith("cyclical")
                || s.label().equals("β=1")).toList();
        String perDim = Files.readString(PerDimensionKlChart.write("t", kl, a, null, dir.resolve("kl")).get(1));
        String rd = Files.readString(RateDistortionChart.write("t", SyntheticRuns.shootoutPoints(1), List.of(), true,
                a, dir.resolve("rd")).get(1));
        assertTrue(perDim.contains(rgb) && rd.contains(rgb), rgb);
        // Alone, the two labels would get the first two colours; with the report's palette they keep theirs.
        assertTrue(!Palette.of(List.of("β=1", "cyclical M=4 R=0.5")).style("cyclical M=4 R=0.5").color().equals(c));
    }
}
