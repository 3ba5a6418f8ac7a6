package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-dimension KL over training: at selected optimiser steps, the batch mean KL of every latent dimension,
 * {@code KL_j = ½(μ_j² + σ_j² − log σ_j² − 1)} averaged over the batch (as {@code BatchStats.klPerDim()} reports
 * it). A steps × d matrix: row t is the snapshot at {@code steps[t]}. It shows when each dimension switches on or
 * collapses, which final metrics cannot (e.g. free bits or cyclical schedules reviving dimensions).
 *
 * @param steps     optimiser steps of the snapshots, strictly increasing
 * @param klPerDim  one row of d values per snapshot, nats
 */
public record KlTrace(long[] steps, double[][] klPerDim) {

    /** The trainer records about this many snapshots per run by default ({@link #defaultEvery}). */
    public static final int DEFAULT_SNAPSHOTS = 200;

    private static final KlTrace EMPTY = new KlTrace(new long[0], new double[0][]);

    public KlTrace {
        if (steps.length != klPerDim.length)
            throw new IllegalArgumentException("KL trace has " + steps.length + " steps but " + klPerDim.length + " rows");
        for (int t = 1; t < steps.length; t++)
            if (steps[t] <= steps[t - 1])
                throw new IllegalArgumentException("KL trace steps must increase, got " + steps[t - 1] + " then " + steps[t]);
        steps = steps.clone();
        double[][] copy = new double[klPerDim.length][];
        for (int t = 0; t < klPerDim.length; t++) {
            if (klPerDim[t].length != klPerDim[0].length)
                throw new IllegalArgumentException("KL trace row " + t + " has " + klPerDim[t].length
                        + " dimensions, row 0 has " + klPerDim[0].length);
            copy[t] = klPerDim[t].clone();
        }
        klPerDim = copy;
    }

    /** A trace with no snapshots (tracing off, or a run from before it existed). */
    public static KlTrace empty() {
        return EMPTY;
    }

    @Override
    public long[] steps() {
        return steps.clone();
    }

    @Override
    public double[][] klPerDim() {
        double[][] copy = new double[klPerDim.length][];
        for (int t = 0; t < klPerDim.length; t++) copy[t] = klPerDim[t].clone();
        return copy;
    }

    /** Number of snapshots. */
    public int size() {
        return steps.length;
    }

    public boolean isEmpty() {
        return steps.length == 0;
    }

    /** Latent dimensions d (0 for an empty trace). */
    public int dims() {
        return klPerDim.length == 0 ? 0 : klPerDim[0].length;
    }

    /** KL of dimension j at snapshot t. */
    public double kl(int t, int j) {
        return klPerDim[t][j];
    }

    /** The KL of dimension j at every snapshot. */
    public double[] dimension(int j) {
        if (j < 0 || j >= dims()) throw new IllegalArgumentException("dimension " + j + " is not in [0, " + dims() + ")");
        double[] col = new double[klPerDim.length];
        for (int t = 0; t < col.length; t++) col[t] = klPerDim[t][j];
        return col;
    }

    /**
     * Whether to take a snapshot at {@code step} of {@code totalSteps}: the first step, every {@code every}-th,
     * and the last, so the trace always spans the whole run.
     *
     * @throws IllegalArgumentException if every &lt; 1
     */
    public static boolean due(long step, long totalSteps, int every) {
        if (every < 1) throw new IllegalArgumentException("KL trace interval must be ≥ 1 step, got " + every);
        return step % every == 0 || step == totalSteps - 1;
    }

    /** The interval giving about {@link #DEFAULT_SNAPSHOTS} snapshots over {@code totalSteps}: ⌈total/200⌉, at least 1. */
    public static int defaultEvery(long totalSteps) {
        return (int) Math.max(1, (totalSteps + DEFAULT_SNAPSHOTS - 1) / DEFAULT_SNAPSHOTS);
    }

    /** Collects snapshots during training. */
    public static final class Builder {
        private final List<Long> steps = new ArrayList<>();
        private final List<double[]> rows = new ArrayList<>();

        /**
         * Adds the snapshot of one step.
         *
         * @throws IllegalArgumentException if the step does not follow the previous one or d changes
         */
        public Builder add(long step, double[] klPerDim) {
            if (!steps.isEmpty() && step <= steps.get(steps.size() - 1))
                throw new IllegalArgumentException("KL trace steps must increase, got " + steps.get(steps.size() - 1)
                        + " then " + step);
            if (!rows.isEmpty() && klPerDim.length != rows.get(0).length)
                throw new IllegalArgumentException("KL trace snapshot has " + klPerDim.length + " dimensions, earlier ones "
                        + rows.get(0).length);
            steps.add(step);
            rows.add(klPerDim.clone());
            return this;
        }

        public KlTrace build() {
            return steps.isEmpty() ? EMPTY
                    : new KlTrace(steps.stream().mapToLong(Long::longValue).toArray(), rows.toArray(new double[0][]));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KlTrace t && Arrays.equals(steps, t.steps) && Arrays.deepEquals(klPerDim, t.klPerDim);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(steps) + Arrays.deepHashCode(klPerDim);
    }

    @Override
    public String toString() {
        return "KlTrace[" + size() + " snapshots × " + dims() + " dimensions]";
    }
}
