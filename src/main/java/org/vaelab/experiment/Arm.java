package org.vaelab.experiment;

import org.vaelab.metrics.IwNll;
import org.vaelab.model.VaeArchitecture;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;
import org.vaelab.train.TrainConfig;
import org.vaelab.weighting.Weighting;

/**
 * One configuration of an experiment, to be run once per seed: a row of the results table.
 *
 * @param label     row label, e.g. {@code β=4}
 * @param group     arms of one group are joined as a curve in the rate–distortion plane (e.g. {@code β sweep}); "" for none
 * @param data      data set and binarisation
 * @param model     architecture and likelihood
 * @param weighting the KL weighting scheme
 * @param train     optimisation settings
 * @param iwSamples importance samples K of the test IW-NLL, ≥ 1; {@link IwNll#REPORT_K} unless the arm's comparison
 *                  rests on the likelihood and needs a tighter bound ({@code -DiwK} overrides every arm's)
 */
public record Arm(String label, String group, DataConfig data, VaeArchitecture model, Weighting weighting,
                  TrainConfig train, int iwSamples) {

    public Arm {
        if (iwSamples < 1) throw new IllegalArgumentException("arm " + label + ": iwSamples must be ≥ 1, got " + iwSamples
                + " (every report states a likelihood)");
    }

    /** An arm evaluated with K = {@value IwNll#REPORT_K}. */
    public Arm(String label, String group, DataConfig data, VaeArchitecture model, Weighting weighting, TrainConfig train) {
        this(label, group, data, model, weighting, train, IwNll.REPORT_K);
    }

    /** This arm with the IW-NLL evaluated at K = {@code k}; training is unchanged. */
    public Arm withIwSamples(int k) {
        return new Arm(label, group, data, model, weighting, train, k);
    }

    /** The run of this arm with the given seed. */
    public RunConfig run(String experiment, long seed) {
        // Every report states a likelihood: IW-NLL with the arm's K on every test image unless -DiwK says otherwise.
        return new RunConfig(experiment, label, group, data, model, weighting, train, seed, iwSamples);
    }
}
