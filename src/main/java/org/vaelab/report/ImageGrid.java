package org.vaelab.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A labelled grid of greyscale images — data, reconstructions, prior samples, latent traversals — and its PNG
 * rendering. Immutable: the trained model is asked for the pixels once, at run time; drawing needs no model.
 *
 * @param title     figure title
 * @param rowLabels one label per row, e.g. {@code reconstruction} or {@code z7 from −3 to 3}
 * @param rows      rows of images; each image has {@code width·height} pixels in [0, 1], row-major
 * @param width     image width in pixels
 * @param height    image height in pixels
 */
public record ImageGrid(String title, List<String> rowLabels, List<List<float[]>> rows, int width, int height) {

    /** Each source pixel becomes a SCALE × SCALE block: 28-pixel digits are 84 px, legible in a report. */
    static final int SCALE = 3;
    private static final int GAP = 4;
    private static final int LABEL_WIDTH = 190;
    private static final int TITLE_HEIGHT = 34;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    public ImageGrid {
        rowLabels = List.copyOf(rowLabels);
        rows = rows.stream().map(r -> r.stream().map(float[]::clone).toList()).toList();
        if (rowLabels.size() != rows.size())
            throw new IllegalArgumentException(rows.size() + " rows but " + rowLabels.size() + " row labels");
        for (List<float[]> r : rows)
            for (float[] img : r)
                if (img.length != width * height)
                    throw new IllegalArgumentException("an image has " + img.length + " pixels, expected " + width * height);
    }

    /** Renders the grid as a PNG (white background, black ink = 1), nearest-neighbour upscaled. */
    public void writePng(OutputStream out) throws IOException {
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int cell = width * SCALE + GAP;
        int w = LABEL_WIDTH + cols * cell + GAP;
        int h = TITLE_HEIGHT + rows.size() * (height * SCALE + GAP) + GAP;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(0x22, 0x22, 0x22));
        g.setFont(TITLE_FONT);
        g.drawString(title, GAP + 2, 22);
        g.setFont(LABEL_FONT);
        for (int r = 0; r < rows.size(); r++) {
            int y0 = TITLE_HEIGHT + r * (height * SCALE + GAP);
            g.setColor(new Color(0x22, 0x22, 0x22));
            g.drawString(rowLabels.get(r), GAP + 2, y0 + height * SCALE / 2 + 5);
            List<float[]> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                int x0 = LABEL_WIDTH + c * cell;
                float[] px = row.get(c);
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++) {
                        int v = 255 - Math.round(255 * Math.max(0f, Math.min(1f, px[y * width + x])));
                        g.setColor(new Color(v, v, v));
                        g.fillRect(x0 + x * SCALE, y0 + y * SCALE, SCALE, SCALE);
                    }
                g.setColor(new Color(0xBB, 0xBB, 0xBB));
                g.drawRect(x0 - 1, y0 - 1, width * SCALE + 1, height * SCALE + 1);
            }
        }
        g.dispose();
        if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
    }
}
