package org.vaelab.report;

import static org.vaelab.report.FigureLayout.PNG_DPI;
import static org.vaelab.report.FigureLayout.PNG_SCALE;
import static org.vaelab.report.FigureLayout.PRINT_WIDTH_INCHES;
import static org.vaelab.report.FigureLayout.WIDTH;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.VectorHints;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

/**
 * Writes a figure as PNG, SVG and PDF from one painting routine, each file through {@link AtomicFiles} (a temporary
 * file moved into place), so a reader never sees half a figure. The files are {@code <base>.png}, {@code .svg} and
 * {@code .pdf}. In the PDF, text is drawn as glyph outlines, because VectorGraphics2D writes PDF text in a
 * non-embedded Latin-1 font that has no β, σ or κ.
 */
final class FigureExport {

    /** Paints a figure's plots in logical units; the frame's title and legend are painted after it. */
    @FunctionalInterface
    interface Painter {
        void paint(Graphics2D g);
    }

    private FigureExport() {
    }

    /** Paints the frame and the plots onto white and writes PNG, SVG and PDF; returns their paths in that order. */
    static List<Path> write(Path outBase, FigureFrame frame, Painter plots) throws IOException {
        Painter all = g -> {
            g.setColor(Color.WHITE);
            g.fill(new java.awt.geom.Rectangle2D.Double(0, 0, frame.width, frame.height));
            plots.paint(g);
            frame.paintDecorations(g);
        };
        Path png = sibling(outBase, ".png"), svg = sibling(outBase, ".svg"), pdf = sibling(outBase, ".pdf");
        AtomicFiles.write(png, out -> writePng(all, frame.width, frame.height, out));
        AtomicFiles.write(svg, out -> writeSvg(all, frame.width, frame.height, out));
        AtomicFiles.write(pdf, out -> writePdf(all, frame.width, frame.height, out));
        return List.of(png, svg, pdf);
    }

    private static Path sibling(Path base, String extension) {
        Path name = base.getFileName();
        if (name == null) throw new IllegalArgumentException("output base " + base + " has no file name");
        return base.resolveSibling(name + extension);
    }

    private static void writePng(Painter painter, int width, int height, OutputStream out) throws IOException {
        BufferedImage img = new BufferedImage((int) Math.round(width * PNG_SCALE), (int) Math.ceil(height * PNG_SCALE - 1e-9),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // The pixel height is rounded up from the scaled height: whiten the last partly covered row too.
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(PNG_SCALE, PNG_SCALE);
            painter.paint(g);
        } finally {
            g.dispose();
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) throw new IOException("no PNG writer available in ImageIO");
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB), param);
            // pHYs through the PNG writer's own metadata format: the JDK writer turns the standard format's
            // pixel size (mm per pixel) into pixels per metre the wrong way round.
            String ppm = Long.toString(Math.round(PNG_DPI / 0.0254));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", ppm);
            phys.setAttribute("pixelsPerUnitYAxis", ppm);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, meta), param);
        } finally {
            writer.dispose();
        }
    }

    private static void writeSvg(Painter painter, int width, int height, OutputStream out) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        painter.paint(g);
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(out);
    }

    /** The PDF page is the print size; VectorGraphics2D measures pages in millimetres. */
    private static void writePdf(Painter painter, int width, int height, OutputStream out) throws IOException {
        double mmPerUnit = PRINT_WIDTH_INCHES * 25.4 / WIDTH;
        VectorGraphics2D g = new VectorGraphics2D();
        g.setRenderingHint(VectorHints.KEY_TEXT, VectorHints.VALUE_TEXT_VECTOR);
        g.scale(mmPerUnit, mmPerUnit);
        painter.paint(g);
        new PDFProcessor(true).getDocument(g.getCommands(),
                new PageSize(0, 0, width * mmPerUnit, height * mmPerUnit)).writeTo(out);
    }
}
