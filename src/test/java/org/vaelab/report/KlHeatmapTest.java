package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.metrics.KlTrace;

class KlHeatmapTest {

    @TempDir
    Path dir;

    /**
     * A trace like a real run's: 16 dimensions over 4000 steps, snapshots every 20; dimension j switches on at
     * step 250·j and saturates at a KL that falls with j, the last four stay collapsed.
     */
    static KlTrace synthetic() {
        return synthetic(16);
    }

    /** The same with {@code d} dimensions, the last quarter collapsed. */
    static KlTrace synthetic(int d) {
        KlTrace.Builder b = new KlTrace.Builder();
        for (long s = 0; s < 4000; s += 20) {
            double[] kl = new double[d];
            for (int j = 0; j < d; j++)
                kl[j] = j >= d * 3 / 4 ? 0.002 : (6.0 - 6.0 * j / d) / (1 + Math.exp(-(s - 4000.0 / d * j) / 80.0));
            b.add(s, kl);
        }
        return b.add(3999, new double[d]).build();
    }

    @Test
    void writesPngSvgAndPdfWithAViridisScale() throws IOException {
        Path base = dir.resolve("kl-heatmap");
        List<Path> paths = KlHeatmapChart.write("KL per dimension during training (β = 1, seed 1)", synthetic(), base);
        FiguresTest.assertFigure(paths, base);
        String svg = Files.readString(paths.get(1), StandardCharsets.UTF_8);
        assertTrue(svg.length() < 400_000, "cells merged into runs keep the SVG small: " + svg.length() + " chars");
        assertTrue(svg.contains("z0") && svg.contains("z15") && svg.contains("KL (nats)"), "labels are text");
    }

    /** The scale runs from viridis' dark purple (0) to its yellow (max), through its ten published stops. */
    @Test
    void viridisEndsAndStops() {
        assertEquals(new Color(0x440154), KlHeatmapChart.viridis(0));
        assertEquals(new Color(0xFDE725), KlHeatmapChart.viridis(1));
        assertEquals(new Color(0x31688E), KlHeatmapChart.viridis(3 / 9.0));
        assertTrue(luminance(KlHeatmapChart.viridis(0.2)) < luminance(KlHeatmapChart.viridis(0.5))
                && luminance(KlHeatmapChart.viridis(0.5)) < luminance(KlHeatmapChart.viridis(0.8)), "lightness increases");
    }

    private static double luminance(Color c) {
        return 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
    }

    @Test
    void handlesOneSnapshotAndRejectsNone() throws IOException {
        KlHeatmapChart.write("one", new KlTrace(new long[]{7}, new double[][]{{0, 1, 2}}), dir.resolve("one"));
        assertTrue(Files.exists(dir.resolve("one.png")) && Files.exists(dir.resolve("one.pdf")));
        assertThrows(IllegalArgumentException.class, () -> KlHeatmapChart.write("none", KlTrace.empty(), dir.resolve("none")));
    }

    /** One early spike does not set the shared scale: the 99.5th percentile of all values does. */
    @Test
    void theSharedScaleIgnoresASpike() {
        org.vaelab.metrics.KlTrace.Builder a = new org.vaelab.metrics.KlTrace.Builder();
        org.vaelab.metrics.KlTrace.Builder b = new org.vaelab.metrics.KlTrace.Builder();
        for (int t = 0; t < 500; t++) {
            a.add(t, new double[] {t == 3 ? 9.0 : 2.0, 1.0});
            b.add(t, new double[] {3.0, 0.5});
        }
        double scale = KlHeatmapChart.sharedScale(java.util.List.of(a.build(), b.build()));
        org.junit.jupiter.api.Assertions.assertEquals(3.0, scale, 1e-12, "the spike at 9 nats is one value in 2,000");
        org.junit.jupiter.api.Assertions.assertEquals(0.0, KlHeatmapChart.sharedScale(java.util.List.of()));
    }
}
