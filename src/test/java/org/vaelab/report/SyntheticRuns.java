package org.vaelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Made-up but plausible results of a β sweep on binarised MNIST-sized data (d = 16), for drawing figures in
 * tests and samples: six configurations, three seeds, 600 optimiser steps. Not results of any model.
 */
final class SyntheticRuns {

    static final List<String> LABELS = List.of("β=0.1", "β=0.5", "β=1", "β=2", "β=4", "mean w=0.1 (β_eff=4.9)");
    static final double[] BETA = {0.1, 0.5, 1, 2, 4, 4.9};
    /** Converged distortion D and rate R per configuration, nats per example. */
    static final double[] REC = {74, 80, 86, 95, 110, 114};
    static final double[] KL = {48, 33, 26, 18, 10, 8.5};
    static final int STEPS = 600, LATENT = 16;

    private SyntheticRuns() {
    }

    static List<Series> rec(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < LABELS.size(); c++) {
            double[] x = steps(), y = new double[STEPS];
            for (int t = 0; t < STEPS; t++)
                y[t] = REC[c] + (210 - REC[c]) * Math.exp(-t / 60.0) + 4 * gaussian(rng);
            out.add(new Series(LABELS.get(c), x, y));
        }
        return out;
    }

    static List<Series> kl(long seed) {
        SplittableRandom rng = new SplittableRandom(seed + 1);
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < LABELS.size(); c++) {
            double[] x = steps(), y = new double[STEPS];
            for (int t = 0; t < STEPS; t++) {
                double rise = 1 - Math.exp(-t / 25.0);
                double overshoot = 0.35 * KL[c] * Math.exp(-t / 120.0) * rise;
                y[t] = Math.max(0, KL[c] * rise + overshoot + 1.2 * gaussian(rng));
            }
            out.add(new Series(LABELS.get(c), x, y));
        }
        return out;
    }

    static List<Series> beta() {
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < LABELS.size(); c++) {
            double[] y = new double[STEPS];
            java.util.Arrays.fill(y, BETA[c]);
            out.add(new Series(LABELS.get(c), steps(), y));
        }
        return out;
    }

    static List<RdPoint> rdPoints(long seed) {
        SplittableRandom rng = new SplittableRandom(seed + 2);
        List<RdPoint> out = new ArrayList<>();
        for (int c = 0; c < LABELS.size(); c++) {
            String group = c < 5 ? "β-VAE" : "normalised";
            for (int s = 0; s < 3; s++)
                out.add(new RdPoint(LABELS.get(c), group, KL[c] + 0.8 * gaussian(rng), REC[c] + 0.9 * gaussian(rng)));
        }
        return out;
    }

    static List<Series> sortedKl(long seed) {
        SplittableRandom rng = new SplittableRandom(seed + 3);
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < LABELS.size(); c++) {
            // Active dimensions share the rate unevenly; the others collapse to ~0.
            int active = (int) Math.round(Math.min(LATENT, 3 + KL[c] / 3.5));
            double[] w = new double[LATENT];
            double sum = 0;
            for (int j = 0; j < active; j++) sum += w[j] = Math.exp(-j / 4.0) * (0.8 + 0.4 * rng.nextDouble());
            double[] kl = new double[LATENT];
            for (int j = 0; j < LATENT; j++)
                kl[j] = j < active ? KL[c] * w[j] / sum : 0.002 * rng.nextDouble();
            out.add(Series.sortedDescending(LABELS.get(c), kl));
        }
        return out;
    }

    /** Labels of a comparison of weighting schemes: long, and more than the eight palette colours. */
    static final List<String> SCHEMES = List.of("β=1", "β=4", "linear warm-up (N=200)", "sigmoid annealing",
            "cyclical (M=4, R=0.5)", "free bits λ=0.25", "capacity C_max=25", "GECO κ=0.1 (λ as β)",
            "ControlVAE KL*=20", "σ-VAE (learned σ)");

    /** The KL weight each scheme applies against the step; several start at 0, so no log axis. */
    static List<Series> schemeBeta() {
        List<Series> out = new ArrayList<>();
        for (String label : SCHEMES) {
            double[] y = new double[STEPS];
            for (int t = 0; t < STEPS; t++)
                y[t] = switch (label) {
                    case "β=4" -> 4;
                    case "linear warm-up (N=200)" -> Math.min(1, t / 200.0);
                    case "sigmoid annealing" -> 1 / (1 + Math.exp(-0.03 * (t - 250)));
                    case "cyclical (M=4, R=0.5)" -> Math.min(1, (t % 150) / 75.0);
                    case "GECO κ=0.1 (λ as β)" -> 1 / Math.max(0.3, Math.min(3, Math.exp(-t / 150.0) * 3));
                    case "ControlVAE KL*=20" -> Math.max(0, 0.9 * Math.exp(-t / 80.0) + 0.05 * Math.sin(t / 15.0));
                    default -> 1;
                };
            out.add(new Series(label, steps(), y));
        }
        return out;
    }

    static List<Series> schemeCurves(long seed, double base, double spread, double noise) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < SCHEMES.size(); c++) {
            double[] y = new double[STEPS];
            double level = base + spread * c;
            for (int t = 0; t < STEPS; t++) y[t] = level + 2 * level * Math.exp(-t / 70.0) + noise * gaussian(rng);
            out.add(new Series(SCHEMES.get(c), steps(), y));
        }
        return out;
    }

    /** The eighteen configurations of a weighting shoot-out: a β sweep and one of each other scheme. */
    static final List<String> SHOOTOUT = List.of("β=0.1", "β=0.25", "β=0.5", "β=1", "β=2", "β=4", "β=8",
            "mean w=0.1 (β_eff=2.45)", "warm-up 10 ep", "sigmoid", "cyclical M=4 R=0.5", "capacity C=25",
            "free bits λ=0.25", "free bits λ=1", "GECO κ=0.32", "ControlVAE KL=25", "σ-VAE learned",
            "σ-VAE optimal");
    static final String[] SHOOTOUT_GROUPS = {"β-VAE", "β-VAE", "β-VAE", "β-VAE", "β-VAE", "β-VAE", "β-VAE",
            "normalised", "schedule", "schedule", "schedule", "constraint", "constraint", "constraint", "controller",
            "controller", "σ-VAE", "σ-VAE"};
    private static final double[] SHOOTOUT_RATE = {55, 44, 35, 26, 18, 10, 5, 15, 27, 26, 28, 25, 27, 30, 24, 25, 31, 33};

    /**
     * Three seeds of each shoot-out configuration on a plausible R–D trade-off: D ≈ 60 + 900 / (R + 10). The two
     * σ-VAE rows have a Gaussian decoder, whose distortion is a different density, about 40 nats lower.
     */
    static List<RdPoint> shootoutPoints(long seed) {
        SplittableRandom rng = new SplittableRandom(seed + 4);
        List<RdPoint> out = new ArrayList<>();
        for (int c = 0; c < SHOOTOUT.size(); c++) {
            boolean gaussian = SHOOTOUT_GROUPS[c].equals("σ-VAE");
            double r = SHOOTOUT_RATE[c], d = 60 + 900 / (r + 10) + (c >= 7 ? 2.5 * (c % 3) : 0) - (gaussian ? 40 : 0);
            for (int s = 0; s < 3; s++)
                out.add(new RdPoint(SHOOTOUT.get(c), SHOOTOUT_GROUPS[c], r + 0.8 * gaussian(rng), d + 0.9 * gaussian(rng),
                        gaussian ? "Gaussian" : "Bernoulli"));
        }
        return out;
    }

    /** The shoot-out's palette, built once as a report builds it: labels in plan order, each with its group. */
    static Palette shootoutPalette() {
        List<String> likelihoods = new ArrayList<>();
        for (String g : SHOOTOUT_GROUPS) likelihoods.add(g.equals("σ-VAE") ? "Gaussian" : "Bernoulli");
        return Palette.of(SHOOTOUT, List.of(SHOOTOUT_GROUPS), likelihoods);
    }

    /** A training curve per shoot-out configuration, levelling off at {@code base + spread · rank}. */
    static List<Series> shootoutCurves(long seed, double base, double spread, double noise) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < SHOOTOUT.size(); c++) {
            double[] y = new double[STEPS];
            double level = base + spread * c;
            for (int t = 0; t < STEPS; t++) y[t] = level + 2 * level * Math.exp(-t / 70.0) + noise * gaussian(rng);
            out.add(new Series(SHOOTOUT.get(c), steps(), y));
        }
        return out;
    }

    /** The β each shoot-out configuration applies; capacity, free bits and GECO apply none and are left out. */
    static List<Series> shootoutBeta() {
        double[] sweep = {0.1, 0.25, 0.5, 1, 2, 4, 8};
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < SHOOTOUT.size(); c++) {
            String label = SHOOTOUT.get(c);
            if (label.startsWith("capacity") || label.startsWith("free bits") || label.startsWith("GECO")) continue;
            double[] y = new double[STEPS];
            for (int t = 0; t < STEPS; t++)
                y[t] = c < sweep.length ? sweep[c] : switch (label) {
                    case "mean w=0.1 (β_eff=2.45)" -> 2.45;
                    case "warm-up 10 ep" -> t / (double) (STEPS - 1);
                    case "sigmoid" -> 1 / (1 + Math.exp(-0.03 * (t - 150)));
                    case "cyclical M=4 R=0.5" -> Math.min(1, (t % 150) / 75.0);
                    case "ControlVAE KL=25" -> 0.6 * (1 - Math.exp(-t / 40.0));
                    default -> 1;
                };
            out.add(new Series(label, steps(), y));
        }
        return out;
    }

    /** Sorted per-dimension KL of each shoot-out configuration, d = 32. */
    static List<Series> shootoutSortedKl(long seed) {
        SplittableRandom rng = new SplittableRandom(seed + 5);
        List<Series> out = new ArrayList<>();
        for (int c = 0; c < SHOOTOUT.size(); c++) {
            double rate = SHOOTOUT_RATE[c];
            int active = (int) Math.round(Math.min(32, 3 + rate / 2.2));
            double[] w = new double[32];
            double sum = 0;
            for (int j = 0; j < active; j++) sum += w[j] = Math.exp(-j / 6.0) * (0.8 + 0.4 * rng.nextDouble());
            double[] kl = new double[32];
            for (int j = 0; j < 32; j++) kl[j] = j < active ? rate * w[j] / sum : 0.002 * rng.nextDouble();
            out.add(Series.sortedDescending(SHOOTOUT.get(c), kl));
        }
        return out;
    }

    private static double[] steps() {
        double[] x = new double[STEPS];
        for (int t = 0; t < STEPS; t++) x[t] = t;
        return x;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * The metrics a finished two-latent run reports (every id the run store requires), with the given ELBO and Rec and
     * KL 0.5, active units 1, MI 0.25 over B = 2, per-dimension KL 0.375 and 0.125.
     */
    static java.util.Map<org.vaelab.metrics.MetricId, Double> reportedMetrics(double elbo, double rec) {
        var m = new java.util.LinkedHashMap<org.vaelab.metrics.MetricId, Double>();
        m.put(org.vaelab.metrics.MetricId.ELBO, elbo);
        m.put(org.vaelab.metrics.MetricId.REC, rec);
        m.put(org.vaelab.metrics.MetricId.KL, 0.5);
        m.put(org.vaelab.metrics.MetricId.ACTIVE_UNITS, 1.0);
        m.put(org.vaelab.metrics.MetricId.MI, 0.25);
        m.put(org.vaelab.metrics.MetricId.MI_BATCH, 2.0);
        m.put(org.vaelab.metrics.MetricId.klOfDim(0), 0.375);
        m.put(org.vaelab.metrics.MetricId.klOfDim(1), 0.125);
        return m;
    }
}
