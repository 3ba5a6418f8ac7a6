package org.vaelab.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaelab.metrics.KlTrace;
import org.vaelab.loss.TraceKey;

/**
 * Per-step training record: step, epoch, the batch's Rec and KL, and every weight in force (β, w, …), in columns.
 * Immutable once built; {@link Builder} collects rows during training.
 *
 * @param step    optimiser step of each row, from 0
 * @param epoch   epoch of each row, from 0
 * @param rec     batch mean Rec (nats)
 * @param kl      batch mean KL (nats)
 * @param weights each traced weight's column, by key (its {@code steps.csv} column name), in first-seen order
 * @param klTrace per-dimension KL every few steps ({@link KlTrace#empty()} if not recorded)
 * @param curve   the test likelihood at the end of some epochs ({@link TestCurve#empty()} if not recorded)
 */
public record StepLog(long[] step, int[] epoch, double[] rec, double[] kl, Map<TraceKey, double[]> weights,
                      KlTrace klTrace, TestCurve curve) {

    /** A log without a test curve. */
    public StepLog(long[] step, int[] epoch, double[] rec, double[] kl, Map<TraceKey, double[]> weights,
                   KlTrace klTrace) {
        this(step, epoch, rec, kl, weights, klTrace, TestCurve.empty());
    }

    /** A log without a per-dimension KL trace. */
    public StepLog(long[] step, int[] epoch, double[] rec, double[] kl, Map<TraceKey, double[]> weights) {
        this(step, epoch, rec, kl, weights, KlTrace.empty());
    }

    public StepLog {
        int n = step.length;
        if (epoch.length != n || rec.length != n || kl.length != n)
            throw new IllegalArgumentException("all StepLog columns must have " + n + " rows");
        var copy = new LinkedHashMap<TraceKey, double[]>();
        weights.forEach((k, v) -> {
            if (v.length != n) throw new IllegalArgumentException("weight column '" + k + "' has " + v.length + " rows, expected " + n);
            copy.put(k, v.clone());
        });
        step = step.clone();
        epoch = epoch.clone();
        rec = rec.clone();
        kl = kl.clone();
        weights = Collections.unmodifiableMap(copy);
        if (klTrace == null) klTrace = KlTrace.empty();
        if (curve == null) curve = TestCurve.empty();
    }

    /** This log with {@code trace} as its per-dimension KL trace. */
    public StepLog withKlTrace(KlTrace trace) {
        return new StepLog(step, epoch, rec, kl, weights, trace, curve);
    }

    /** This log with {@code c} as its test curve. */
    public StepLog withCurve(TestCurve c) {
        return new StepLog(step, epoch, rec, kl, weights, klTrace, c);
    }

    public int size() {
        return step.length;
    }

    /** The weight column of {@code key}, or an exception listing the columns there are. */
    public double[] weight(TraceKey key) {
        double[] col = weights.get(key);
        if (col == null) throw new IllegalArgumentException("no weight column '" + key + "'; columns: " + weights.keySet());
        return col.clone();
    }

    /** Whether the log has a column for {@code key}. */
    public boolean has(TraceKey key) {
        return weights.containsKey(key);
    }

    /** The last value of {@code key}'s column; NaN if the log is empty or has no such column. */
    public double last(TraceKey key) {
        double[] col = weights.get(key);
        return col == null || col.length == 0 ? Double.NaN : col[col.length - 1];
    }

    public double[] stepsAsDouble() {
        return Arrays.stream(step).asDoubleStream().toArray();
    }

    /** Collects rows during training. A weight first traced late is back-filled with NaN. */
    public static final class Builder {
        private long[] s = new long[1024];
        private int[] e = new int[1024];
        private double[] r = new double[1024];
        private double[] k = new double[1024];
        private final Map<TraceKey, double[]> w = new LinkedHashMap<>();
        private final KlTrace.Builder trace = new KlTrace.Builder();
        private final List<TestCurve.Point> curve = new ArrayList<>();
        private int n;

        /** Records a point of the test curve (after an epoch; see {@link TestCurve#due}). */
        public void curve(TestCurve.Point point) {
            curve.add(point);
        }

        /** Records the batch's per-dimension KL at {@code step} (every few steps; see {@link KlTrace#due}). */
        public void klPerDim(long step, double[] klPerDim) {
            trace.add(step, klPerDim);
        }

        public void add(long step, int epoch, double rec, double kl, Map<TraceKey, Double> trace) {
            if (n == s.length) grow();
            s[n] = step;
            e[n] = epoch;
            r[n] = rec;
            k[n] = kl;
            for (var entry : trace.entrySet()) {
                double[] col = w.computeIfAbsent(entry.getKey(), key -> {
                    double[] c = new double[s.length];
                    Arrays.fill(c, Double.NaN);
                    return c;
                });
                col[n] = entry.getValue();
            }
            for (var entry : w.entrySet()) if (!trace.containsKey(entry.getKey())) entry.getValue()[n] = Double.NaN;
            n++;
        }

        private void grow() {
            int cap = s.length * 2;
            s = Arrays.copyOf(s, cap);
            e = Arrays.copyOf(e, cap);
            r = Arrays.copyOf(r, cap);
            k = Arrays.copyOf(k, cap);
            w.replaceAll((name, col) -> Arrays.copyOf(col, cap));
        }

        public StepLog build() {
            var cols = new LinkedHashMap<TraceKey, double[]>();
            w.forEach((name, col) -> cols.put(name, Arrays.copyOf(col, n)));
            return new StepLog(Arrays.copyOf(s, n), Arrays.copyOf(e, n), Arrays.copyOf(r, n), Arrays.copyOf(k, n), cols,
                    trace.build(), new TestCurve(curve));
        }
    }
}
