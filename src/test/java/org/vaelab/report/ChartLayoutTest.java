package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.report.FigureFrame.LegendEntry;

/** The layout rules of the report figures: legends, panels per likelihood, small multiples, heat-map labels. */
class ChartLayoutTest {

    @TempDir
    Path dir;

    /** However many entries, the legend is never taller than the plot area, and equal entries appear once. */
    @Test
    void legendNeverOutgrowsThePlotAndHasNoDuplicates() {
        Palette p = SyntheticRuns.shootoutPalette();
        List<LegendEntry> entries = new ArrayList<>();
        for (String l : SyntheticRuns.SHOOTOUT) entries.add(LegendEntry.marker(l, p.style(l)));
        for (int i = 0; i < 3; i++)   // three joined groups used to give three identical dashed entries
            entries.add(LegendEntry.line("mean of a group, by rate", FigureLayout.MEAN_LINE, FigureLayout.meanStroke()));
        FigureFrame frame = new FigureFrame(FigureLayout.PLOT_HEIGHT, "t", null, entries);
        assertEquals(SyntheticRuns.SHOOTOUT.size() + 1, frame.entries.size(), "duplicates dropped");
        assertTrue(frame.legendHeight <= frame.plotHeight, frame.legendHeight + " > " + frame.plotHeight);
        FigureFrame few = new FigureFrame(FigureLayout.PLOT_HEIGHT, "t", null,
                List.of(LegendEntry.marker("β=1", p.style("β=1")), LegendEntry.marker("β=2", p.style("β=2"))));
        assertTrue(few.legendRight, "a short legend goes to the right of the plot");
    }

    /** Bernoulli and Gaussian runs go into separate panels with their own axes, never on one plane. */
    @Test
    void rateDistortionSplitsByLikelihood() throws IOException {
        List<Path> paths = RateDistortionChart.write("R–D", SyntheticRuns.shootoutPoints(1), List.of("β-VAE", "σ-VAE"),
                true, SyntheticRuns.shootoutPalette(), dir.resolve("rd"));
        FiguresTest.assertFigure(paths, dir.resolve("rd"));
        String svg = Files.readString(paths.get(1), StandardCharsets.UTF_8);
        assertTrue(svg.contains(">Bernoulli decoder<") && svg.contains(">Gaussian decoder<"), "one panel per likelihood");
        assertEquals(1, count(svg, ">Bernoulli decoder<"));
        assertEquals(1, count(svg, ">mean of a group, by rate<"), "one legend entry for all joined groups");
        // One likelihood: one panel, no heading.
        String one = Files.readString(RateDistortionChart.write("R–D", SyntheticRuns.rdPoints(1), List.of("β-VAE"),
                dir.resolve("rd1")).get(1), StandardCharsets.UTF_8);
        assertTrue(!one.contains(" decoder<"), "one likelihood: a single panel without heading");
    }

    /** More than eight configurations become small multiples, one row per group, each with its own heading. */
    @Test
    void manyTrainingCurvesBecomeSmallMultiples() throws IOException {
        Palette p = SyntheticRuns.shootoutPalette();
        List<Path> paths = TrainingCurvesChart.write("Training", SyntheticRuns.shootoutCurves(1, 200, 3, 6),
                SyntheticRuns.shootoutCurves(2, 10, 2, 1.5), SyntheticRuns.shootoutBeta(), 15, p, "β=1",
                dir.resolve("tc"));
        FiguresTest.assertFigure(paths, dir.resolve("tc"));
        String svg = Files.readString(paths.get(1), StandardCharsets.UTF_8);
        for (String group : List.of("β-VAE", "normalised", "schedule", "constraint", "controller", "σ-VAE"))
            assertEquals(1, count(svg, ">" + group + ":<"), group + " heads one row");
        for (String label : SyntheticRuns.SHOOTOUT) assertEquals(1, count(svg, ">" + label + "<"), label + " named once");
        assertTrue(svg.contains("Grey: β=1 in every row"), "the reference is explained");
    }

    /** Up to 64 dimensions, every one is labelled, z0 … z31 with none skipped. */
    @Test
    void heatMapLabelsEveryDimension() throws IOException {
        String svg = Files.readString(KlHeatmapChart.write("KL", KlHeatmapTest.synthetic(32), dir.resolve("h")).get(1),
                StandardCharsets.UTF_8);
        for (int j = 0; j < 32; j++) assertEquals(1, count(svg, ">z" + j + "<"), "z" + j);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
