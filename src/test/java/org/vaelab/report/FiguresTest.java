package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class FiguresTest {

    @TempDir
    Path dir;

    /**
     * The three files exist and are not empty; the PNG decodes at the print width and says 300 dpi; the SVG is a
     * complete SVG document {@link Figures#WIDTH} units wide; the PDF is a PDF whose page is the print width.
     */
    static void assertFigure(List<Path> paths, Path base) throws IOException {
        assertEquals(List.of(base.resolveSibling(base.getFileName() + ".png"),
                base.resolveSibling(base.getFileName() + ".svg"),
                base.resolveSibling(base.getFileName() + ".pdf")), paths);
        Path png = paths.get(0), svg = paths.get(1), pdf = paths.get(2);
        for (Path p : paths) assertTrue(Files.size(p) > 0, p + " is empty");
        // Written through AtomicFiles: readable by all, although temporary files start private.
        if (png.getFileSystem().supportedFileAttributeViews().contains("posix"))
            for (Path p : paths)
                assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p)), p.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "PNG decodes");
        assertEquals(990, img.getWidth(), "3.3 in at 300 dpi");
        assertEquals(300.0, pngDpi(png), 0.01, "pHYs");
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg"), "SVG document");
        assertTrue(text.contains("viewBox=\"0 0 " + FigureLayout.WIDTH + " "), "SVG width");
        assertTrue(text.trim().endsWith("</svg>"), "SVG complete");
        byte[] bytes = Files.readAllBytes(pdf);
        String head = new String(bytes, 0, Math.min(bytes.length, 2000), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("%PDF"), "PDF header");
        java.util.regex.Matcher box = java.util.regex.Pattern.compile("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)]")
                .matcher(head);
        assertTrue(box.find(), "PDF page size");
        assertEquals(3.3 * 72, Double.parseDouble(box.group(1)), 0.01, "PDF page is 3.3 in wide");
        assertEquals(img.getHeight() / 300.0 * 72, Double.parseDouble(box.group(2)), 0.5,
                "PDF and PNG have the same aspect");
        assertTrue(new String(bytes, bytes.length - 8, 8, StandardCharsets.ISO_8859_1).contains("%%EOF"),
                "PDF complete");
    }

    /** Horizontal resolution from the PNG's pHYs chunk, in dots per inch. */
    static double pngDpi(Path png) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                IIOMetadata meta = reader.getImageMetadata(0);
                Node root = meta.getAsTree("javax_imageio_png_1.0");
                for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling())
                    if (n.getNodeName().equals("pHYs")) {
                        Element e = (Element) n;
                        assertEquals("meter", e.getAttribute("unitSpecifier"));
                        assertEquals(e.getAttribute("pixelsPerUnitXAxis"), e.getAttribute("pixelsPerUnitYAxis"));
                        return Double.parseDouble(e.getAttribute("pixelsPerUnitXAxis")) * 0.0254;
                    }
                throw new AssertionError("PNG has no pHYs chunk");
            } finally {
                reader.dispose();
            }
        }
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    @Test
    void trainingCurvesWritePngSvgAndPdf() throws IOException {
        Path base = dir.resolve("training");
        assertFigure(TrainingCurvesChart.write("Training", SyntheticRuns.rec(1), SyntheticRuns.kl(1),
                SyntheticRuns.beta(), base), base);
        Path smoothed = dir.resolve("sub/training-smoothed");   // missing folders are created
        assertFigure(TrainingCurvesChart.write("Training, smoothed", SyntheticRuns.rec(1), SyntheticRuns.kl(1),
                SyntheticRuns.beta(), 25, null, null, smoothed), smoothed);
        assertNoTemporaryFiles();
    }

    @Test
    void trainingCurvesHandleManyLabelsZeroBetaAndGaps() throws IOException {
        List<Series> rec = SyntheticRuns.schemeCurves(3, 80, 3, 4);
        double[] y = rec.get(0).y();
        y[100] = Double.NaN;   // a gap in one curve
        rec = Stream.concat(Stream.of(new Series(rec.get(0).label(), rec.get(0).x(), y)), rec.stream().skip(1)).toList();
        Path base = dir.resolve("schemes");
        assertFigure(TrainingCurvesChart.write("Schemes", rec, SyntheticRuns.schemeCurves(4, 12, 2, 1.5),
                SyntheticRuns.schemeBeta(), 15, null, null, base), base);
    }

    @Test
    void rewritingAFigureReplacesIt() throws IOException {
        Path base = dir.resolve("rd");
        List<Path> first = RateDistortionChart.write("R–D", SyntheticRuns.rdPoints(1), List.of("β-VAE"), base);
        byte[] before = Files.readAllBytes(first.get(0));
        List<Path> second = RateDistortionChart.write("R–D, without contours", SyntheticRuns.rdPoints(2),
                List.of("β-VAE"), false, null, base);
        assertEquals(first, second);
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(second.get(0))), "PNG replaced");
        assertNoTemporaryFiles();
    }

    @Test
    void rateDistortionWritesPngSvgAndPdf() throws IOException {
        Path base = dir.resolve("rate-distortion");
        assertFigure(RateDistortionChart.write("Rate–distortion", SyntheticRuns.rdPoints(1), List.of("β-VAE"), base),
                base);
        Path single = dir.resolve("single-run");
        assertFigure(RateDistortionChart.write("One run", List.of(new RdPoint("β=1", "β-VAE", 25, 90)),
                List.of("β-VAE"), single), single);
    }

    /**
     * Regression: VectorGraphics2D let the rotation of a contour label (drawn in a child graphics) leak into
     * everything drawn after it, so the SVG's title and legend came out rotated while the PNG was right.
     */
    @Test
    void svgTitleIsNotTransformedByEarlierDrawing() throws Exception {
        Path svg = RateDistortionChart.write("Title to find", SyntheticRuns.rdPoints(1), List.of("β-VAE"),
                dir.resolve("rd")).get(1);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);   // offline
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        NodeList texts = doc.getElementsByTagName("text");
        Node title = null;
        for (int i = 0; i < texts.getLength(); i++)
            if (texts.item(i).getTextContent().equals("Title to find")) title = texts.item(i);
        assertNotNull(title, "title is drawn as text");
        for (Node n = title.getParentNode(); n instanceof Element e; n = n.getParentNode())
            assertTrue(e.getAttribute("transform").isEmpty(), "title inside <" + e.getTagName() + " transform=\""
                    + e.getAttribute("transform") + "\">");
    }

    @Test
    void perDimensionKlWritesPngSvgAndPdf() throws IOException {
        Path base = dir.resolve("kl-per-dim");
        assertFigure(PerDimensionKlChart.write("KL per dimension", SyntheticRuns.sortedKl(1), base), base);
        List<Series> longLabels = SyntheticRuns.sortedKl(1).stream()
                .map(s -> new Series(s.label() + " with a label far too long for a legend column", s.x(), s.y()))
                .toList();
        Path below = dir.resolve("legend-below");
        assertFigure(PerDimensionKlChart.write("Legend below", longLabels, below), below);
    }

    /** Placed 3.3 in (8.4 cm) wide, every font is at least 7 pt and every line at least 0.5 pt. */
    @Test
    void textAndLinesAreLegibleAtSingleColumnWidth() {
        double ptPerUnit = 3.3 * 72 / FigureLayout.WIDTH;
        float smallest = Float.POSITIVE_INFINITY;
        for (java.awt.Font f : FigureLayout.FONTS) smallest = Math.min(smallest, f.getSize2D());
        assertEquals(FigureLayout.MIN_FONT_SIZE, smallest, 0);
        assertTrue(smallest * ptPerUnit >= 7, "smallest font " + smallest * ptPerUnit + " pt");
        assertTrue(FigureLayout.MIN_LINE_WIDTH * ptPerUnit >= 0.5, "thinnest line " + FigureLayout.MIN_LINE_WIDTH * ptPerUnit + " pt");
        assertEquals(ptPerUnit, FigureLayout.POINTS_PER_UNIT, 1e-12);
        assertEquals(990, FigureLayout.PNG_WIDTH_PX);
    }

    /** A weighting shoot-out's 18 configurations: the legend goes below in several columns. */
    @Test
    void rateDistortionWithEighteenLabels() throws IOException {
        Path base = dir.resolve("rd-18");
        List<Path> paths = RateDistortionChart.write("Weighting shoot-out: rate–distortion plane (test set, 3 seeds)",
                SyntheticRuns.shootoutPoints(3), List.of("β-VAE"), base);
        assertFigure(paths, base);
        String svg = Files.readString(paths.get(1), StandardCharsets.UTF_8);
        // A label too long for its legend column is broken over two lines: look for its first word.
        for (String label : SyntheticRuns.SHOOTOUT)
            assertTrue(svg.contains(">" + label + "<") || svg.contains(">" + label.split(" ")[0] + " "), label + " in the legend");
    }

    @Test
    void badInputsAreRejectedWithTheirName() {
        Path base = dir.resolve("x");
        List<Series> one = List.of(new Series("a", new double[]{0, 1}, new double[]{1, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurvesChart.write("t", List.of(), one, one, base));
        assertTrue(e.getMessage().contains("rec"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PerDimensionKlChart.write("t", List.of(one.get(0), one.get(0)), base));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingCurvesChart.write("t", one, one, one, 0, null, null, base));
        e = assertThrows(IllegalArgumentException.class,
                () -> RateDistortionChart.write("t", SyntheticRuns.rdPoints(1), List.of("no such group"), base));
        assertTrue(e.getMessage().contains("no such group"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateDistortionChart.write("t", List.of(), List.of(), base));
        assertThrows(IllegalArgumentException.class, () -> new RdPoint("a", "g", Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new Series("a", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Series(" ", new double[1], new double[1]));
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void movingAverageIsCentredAndShrinksAtTheEnds() {
        double[] y = {1, 2, 3, 4, 5};
        assertArrayEquals(new double[]{1.5, 2, 3, 4, 4.5}, Curves.movingAverage(y, 3), 1e-12);
        assertArrayEquals(new double[]{1.5, 2.5, 3.5, 4.5, 5}, Curves.movingAverage(y, 2), 1e-12);
        assertArrayEquals(new double[]{2, 2.5, 3, 3.5, 4}, Curves.movingAverage(y, 5), 1e-12);
        assertArrayEquals(y, Curves.movingAverage(y, 1), 0);
        double[] gap = Curves.movingAverage(new double[]{1, Double.NaN, 3, 4, 5}, 3);
        assertTrue(Double.isNaN(gap[0]) && Double.isNaN(gap[1]) && Double.isNaN(gap[2]));
        assertArrayEquals(new double[]{4, 4.5}, new double[]{gap[3], gap[4]}, 1e-12, "windows after a NaN recover");
        assertThrows(IllegalArgumentException.class, () -> Curves.movingAverage(y, 0));
    }

    @Test
    void betaPanelIsLogarithmicOnlyForPositiveValuesSpanningADecade() {
        double[] x = {0, 1};
        assertTrue(Curves.spansMoreThanADecade(List.of(new Series("a", x, new double[]{0.1, 0.1}),
                new Series("b", x, new double[]{4, 4}))));
        assertFalse(Curves.spansMoreThanADecade(List.of(new Series("a", x, new double[]{0.5, 4}))));
        assertFalse(Curves.spansMoreThanADecade(List.of(new Series("a", x, new double[]{0, 4}))),
                "a warm-up from β = 0 cannot be drawn on a log axis");
    }

    @Test
    void seriesAreImmutableAndSortable() {
        double[] y = {0.5, 3, 0.01, 1};
        Series s = Series.sortedDescending("β=1", y);
        y[0] = 100;
        assertArrayEquals(new double[]{1, 2, 3, 4}, s.x(), 0);
        assertArrayEquals(new double[]{3, 1, 0.5, 0.01}, s.y(), 0);
        s.y()[0] = -1;
        assertEquals(3, s.y()[0]);
        assertEquals(Series.sortedDescending("β=1", new double[]{0.5, 3, 0.01, 1}), s);
    }

    /** Thinning keeps each bucket's extremes in order, so a sawtooth's resets and a noisy curve's envelope survive. */
    @Test
    void thinningKeepsExtremesAndJumps() {
        int n = 10_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = (i % 2500) / 2500.0; // four cycles of a cyclical schedule: ramps and resets to 0
        }
        y[1234] = 7; // one outlier
        double[][] t = Curves.thin(x, y, 400);
        assertTrue(t[0].length <= 400, "at most 400 points, got " + t[0].length);
        assertEquals(7, java.util.Arrays.stream(t[1]).max().orElseThrow(), "the outlier survives");
        assertEquals(0, java.util.Arrays.stream(t[1]).min().orElseThrow());
        for (int i = 1; i < t[0].length; i++) assertTrue(t[0][i] > t[0][i - 1], "x stays increasing");
        long resets = 0;
        for (int i = 1; i < t[1].length; i++) if (t[1][i - 1] <= 1 && t[1][i] < t[1][i - 1] - 0.5) resets++;
        assertEquals(3, resets, "the three resets between the four cycles are kept");
        double[] few = {1, 2, 3};
        assertArrayEquals(few, Curves.thin(few, few, 400)[1], 0, "short curves are untouched");
    }
}
