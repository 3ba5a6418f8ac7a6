package org.vaelab.weighting;

import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * Cyclical KL annealing (Fu et al. 2019, "Cyclical annealing schedule: a simple approach to mitigating KL
 * vanishing", NAACL, arXiv:1903.10145): the run is split into M cycles of length {@code P = T/M}; within
 * each, β rises linearly from 0 to β_max over the first fraction R of the cycle and stays at β_max for the rest,
 * <pre>  τ = (t mod P) / P,   β_t = β_max · min(1, τ/R)</pre>
 * Each restart lets the encoder pick up information the decoder can then use, so the model keeps more KL (and
 * mutual information) than with one monotonic warm-up at similar reconstruction.
 *
 * <p>P need not be a whole number of steps: τ is computed exactly as {@code ((t·M) mod T)/T}. Defaults from the
 * paper ({@link #paperDefaults()}): M = 4, R = 0.5, β_max = 1.
 *
 * @param cycles  M, ≥ 1
 * @param ratio   R, the rising fraction of each cycle, in (0, 1]
 * @param betaMax β on the plateau, finite and ≥ 0
 */
public record CyclicalAnnealing(int cycles, double ratio, double betaMax) implements Weighting {

    public CyclicalAnnealing {
        if (cycles < 1) throw new IllegalArgumentException("cyclical annealing needs cycles M ≥ 1, got " + cycles);
        if (!(ratio > 0 && ratio <= 1))
            throw new IllegalArgumentException("cyclical ratio R must be in (0, 1], got " + ratio);
        if (!Double.isFinite(betaMax) || betaMax < 0)
            throw new IllegalArgumentException("cyclical betaMax must be finite and ≥ 0, got " + betaMax);
    }

    /** M = 4 cycles, R = 0.5, β_max = 1 (Fu et al. 2019). */
    public static CyclicalAnnealing paperDefaults() {
        return new CyclicalAnnealing(4, 0.5, 1);
    }

    /** τ ∈ [0, 1), the position of step t within its cycle. */
    public double tau(Progress p) {
        return (double) Math.floorMod(p.step() * cycles, p.totalSteps()) / p.totalSteps();
    }

    /** β at step t of a run at {@code p}. */
    public double beta(Progress p) {
        return betaMax * Math.min(1.0, tau(p) / ratio);
    }

    @Override
    public String label() {
        return "cyclical M=" + cycles + " R=" + Format.number(ratio) + (betaMax == 1 ? "" : " β=" + Format.number(betaMax));
    }

    @Override
    public LossWeights weights(Progress progress, BatchStats batch) {
        return LossWeights.beta(beta(progress), progress.latentDim());
    }
}
