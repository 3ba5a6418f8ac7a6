package org.vaelab.data;

/**
 * An immutable set of greyscale images, pixels scaled to [0, 1], one row of {@code width·height} floats per image.
 *
 * @param name    e.g. {@code fashion-mnist/train}
 * @param pixels  row-major n × (width·height)
 * @param n       number of images
 * @param width   image width
 * @param height  image height
 * @param labels  class label per image (length n)
 * @param sha256  SHA-256 of the source file(s) the images came from, hex
 */
public record ImageDataset(String name, float[] pixels, int n, int width, int height, int[] labels, String sha256) {
    public ImageDataset {
        if ((long) n * width * height != pixels.length)
            throw new IllegalArgumentException("pixels must have n*width*height = " + (long) n * width * height
                    + " entries, got " + pixels.length);
        if (labels.length != n) throw new IllegalArgumentException("labels must have n = " + n + " entries, got " + labels.length);
    }

    /** Pixels per image, D. */
    public int dim() {
        return width * height;
    }
}
