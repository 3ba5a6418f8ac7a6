package org.vaelab.report;

import java.util.Objects;

/**
 * One trained run on the rate–distortion plane (Alemi et al. 2018, arXiv:1711.00464): its test-set rate
 * R = E_x KL(q(z|x) ‖ p(z)) and distortion D = −E_x E_q[log p(x|z)], both in nats per example.
 *
 * @param label      configuration, e.g. {@code β=4}; runs with the same label (different seeds) share a colour
 * @param group      family of configurations, e.g. {@code β-VAE}; a group's per-label means can be joined by a
 *                   line, and groups get different marker shapes
 * @param rate       R in nats, finite
 * @param distortion D in nats, finite
 * @param likelihood the decoder likelihood, e.g. {@code Bernoulli}; "" if unknown. Distortions of different
 *                   likelihoods are different densities and are never drawn on the same axes
 */
public record RdPoint(String label, String group, double rate, double distortion, String likelihood) {

    /** A point of unknown likelihood. */
    public RdPoint(String label, String group, double rate, double distortion) {
        this(label, group, rate, distortion, "");
    }

    public RdPoint {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(group, "group");
        if (likelihood == null) likelihood = "";
        if (label.isBlank()) throw new IllegalArgumentException("label must not be blank");
        if (!Double.isFinite(rate) || !Double.isFinite(distortion))
            throw new IllegalArgumentException("run '" + label + "' has a non-finite rate or distortion ("
                    + rate + ", " + distortion + "); report diverged runs separately, they cannot be placed");
    }

    /** The run's ELBO, −(R + D). */
    public double elbo() {
        return -(rate + distortion);
    }
}
