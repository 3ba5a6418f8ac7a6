package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rate–distortion reading of β (Alemi et al. 2018): a β-VAE minimises {@code D + β·R}, so at its optimum
 * {@code β = −∂D/∂R}, and on a convex frontier the chord between the points reached with β_a &lt; β_b has a slope
 * {@code −ΔD/ΔR} between β_a and β_b. Measured points of a β sweep test this directly: each chord's slope either falls
 * in its interval or it does not (a trained network is not at the exact optimum, so some misses are expected from
 * short training or seed noise). Pure functions of seed-mean (β, R, D) points.
 */
public final class RdSlopes {

    private RdSlopes() {
    }

    /**
     * One point of a β sweep: seed means.
     *
     * @param beta the KL weight, &gt; 0
     * @param rate R, nats
     * @param distortion D, nats
     */
    public record Point(double beta, double rate, double distortion) {
        public Point {
            if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("β must be finite and > 0, got " + beta);
            if (!Double.isFinite(rate) || !Double.isFinite(distortion))
                throw new IllegalArgumentException("R and D must be finite, got R = " + rate + ", D = " + distortion);
        }
    }

    /**
     * The chord between neighbouring points.
     *
     * @param from  the point with the smaller β
     * @param to    the next point
     * @param slope {@code −(D_to − D_from)/(R_to − R_from)}; NaN when the two rates are equal
     */
    public record Chord(Point from, Point to, double slope) {

        /** True if the slope lies between the two βs, as β = −∂D/∂R on a convex frontier predicts. */
        public boolean withinBetas() {
            return slope >= from.beta() && slope <= to.beta();
        }
    }

    /**
     * The chords between neighbouring points, in order of β.
     *
     * @throws IllegalArgumentException if fewer than 2 points are given or two share a β
     */
    public static List<Chord> of(List<Point> points) {
        if (points.size() < 2) throw new IllegalArgumentException("slopes need at least 2 points of a β sweep, got " + points.size());
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort((a, b) -> Double.compare(a.beta(), b.beta()));
        List<Chord> chords = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            Point a = sorted.get(i - 1), b = sorted.get(i);
            if (a.beta() == b.beta()) throw new IllegalArgumentException("two points share β = " + a.beta());
            double dr = b.rate() - a.rate();
            chords.add(new Chord(a, b, dr == 0 ? Double.NaN : -(b.distortion() - a.distortion()) / dr));
        }
        return List.copyOf(chords);
    }

    /**
     * One sentence for a report, e.g. {@code "β 0.1→0.5: 0.19; 0.5→1: 0.70 (3 of 4 chords have a slope between their
     * two βs)"}.
     */
    public static String describe(List<Chord> chords) {
        List<String> parts = new ArrayList<>();
        int within = 0;
        for (Chord c : chords) {
            parts.add(String.format(Locale.ROOT, "β %s→%s: %s", g(c.from().beta()), g(c.to().beta()),
                    Double.isNaN(c.slope()) ? "–" : String.format(Locale.ROOT, "%.2f", c.slope())));
            if (c.withinBetas()) within++;
        }
        return String.join("; ", parts) + String.format(Locale.ROOT, " (%d of %d chords have a slope between their two βs)",
                within, chords.size());
    }

    private static String g(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }
}
