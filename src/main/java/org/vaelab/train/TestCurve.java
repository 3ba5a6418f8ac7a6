package org.vaelab.train;

import java.util.List;

/**
 * How the test likelihood moved during one run: the importance-weighted NLL (Burda et al. 2016) and the ELBO of a
 * fixed set of test images at the end of some epochs. Recorded only when the run asks for it
 * ({@link TrainConfig#curveEvery()} &gt; 0), since every point costs K decoder passes per image; it is what shows
 * whether a run had stopped improving when it stopped.
 *
 * @param points in increasing epoch order; empty when the run recorded no curve
 */
public record TestCurve(List<Point> points) {

    /**
     * One evaluation during training.
     *
     * @param epoch         epochs completed when it was taken, ≥ 1
     * @param step          optimiser steps completed
     * @param iwNll         IW-NLL of the curve's images, nats per image
     * @param standardError standard error of {@code iwNll} over the images
     * @param elbo          the ELBO of the same images from the same samples (K = 1), nats per image
     */
    public record Point(int epoch, long step, double iwNll, double standardError, double elbo) {
        public Point {
            if (epoch < 1) throw new IllegalArgumentException("a curve point is taken after epoch ≥ 1, got " + epoch);
        }
    }

    public TestCurve {
        points = List.copyOf(points);
        for (int i = 1; i < points.size(); i++)
            if (points.get(i).epoch() <= points.get(i - 1).epoch())
                throw new IllegalArgumentException("curve epochs must increase, got " + points.get(i - 1).epoch()
                        + " then " + points.get(i).epoch());
    }

    private static final TestCurve EMPTY = new TestCurve(List.of());

    /** A run that recorded no curve. */
    public static TestCurve empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** Whether a point is due after {@code epochsDone} of {@code epochs} epochs: every {@code every}, and the last. */
    public static boolean due(int epochsDone, int epochs, int every) {
        return every > 0 && (epochsDone % every == 0 || epochsDone == epochs);
    }
}
