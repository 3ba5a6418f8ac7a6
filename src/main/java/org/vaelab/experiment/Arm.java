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
 */
public record Arm(String label, String group, DataConfig data, VaeArchitecture model, Weighting weighting,
                  TrainConfig train) {

    /** The run of this arm with the given seed. */
    public RunConfig run(String experiment, long seed) {
        // Every report states a likelihood: IW-NLL with K = 100 on every test image unless -DiwK says otherwise.
        return new RunConfig(experiment, label, group, data, model, weighting, train, seed, IwNll.REPORT_K);
    }
}
