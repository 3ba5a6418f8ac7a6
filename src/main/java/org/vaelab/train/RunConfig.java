package org.vaelab.train;

import org.vaelab.model.VaeArchitecture;
import org.vaelab.weighting.Weighting;

/**
 * Everything that determines one training run. Two runs with equal configs (and code and data) give
 * identical numbers on one machine; the config's SHA-256 is recorded with every run.
 *
 * @param experiment experiment name
 * @param label      the configuration's label in tables and legends, e.g. {@code β=4}
 * @param group      configurations of one group form a curve in the rate–distortion plane (e.g. {@code β sweep});
 *                   empty for a standalone point
 * @param data       data set and binarisation
 * @param model      architecture and likelihood
 * @param weighting  the KL weighting scheme
 * @param train      optimisation settings
 * @param seed       root seed of the run; split per component by {@link Seeds}
 * @param iwSamples  importance samples K per test image for the importance-weighted NLL (Burda et al. 2016);
 *                   0 = not computed. It costs K decoder passes per image, so experiments leave it off unless asked
 *                   ({@code -DiwK=5000}, the paper's K)
 */
public record RunConfig(String experiment, String label, String group, DataConfig data, VaeArchitecture model,
                        Weighting weighting, TrainConfig train, long seed, int iwSamples) {

    /** A run without the importance-weighted NLL. */
    public RunConfig(String experiment, String label, String group, DataConfig data, VaeArchitecture model,
                     Weighting weighting, TrainConfig train, long seed) {
        this(experiment, label, group, data, model, weighting, train, seed, 0);
    }

    public RunConfig {
        if (iwSamples < 0) throw new IllegalArgumentException("iwSamples must be ≥ 0 (0 = off), got " + iwSamples);
        if (experiment == null || experiment.isBlank()) throw new IllegalArgumentException("experiment must be named");
        if (label == null || label.isBlank()) throw new IllegalArgumentException("label must be non-empty");
        if (group == null) group = "";
        if (data == null || model == null || weighting == null || train == null)
            throw new IllegalArgumentException("data, model, weighting and train must all be set for run '" + label + "'");
    }

    /** A file-system-safe id: the label slugged, plus the seed, e.g. {@code beta-0.5-seed1}. */
    public String runId() {
        String slug = label.toLowerCase()
                .replace("β", "beta").replace("σ", "sigma").replace("λ", "lambda").replace("κ", "kappa").replace("γ", "gamma")
                .replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        return slug + "-seed" + seed;
    }

    public RunConfig withTrain(TrainConfig t) {
        return new RunConfig(experiment, label, group, data, model, weighting, t, seed, iwSamples);
    }

    public RunConfig withData(DataConfig d) {
        return new RunConfig(experiment, label, group, d, model, weighting, train, seed, iwSamples);
    }

    public RunConfig withSeed(long s) {
        return new RunConfig(experiment, label, group, data, model, weighting, train, s, iwSamples);
    }

    public RunConfig withIwSamples(int k) {
        return new RunConfig(experiment, label, group, data, model, weighting, train, seed, k);
    }
}
