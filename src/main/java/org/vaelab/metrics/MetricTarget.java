package org.vaelab.metrics;

import java.util.Objects;

/**
 * What a metric is about: the whole model, one latent dimension, or one ground-truth factor of variation.
 * The text form ({@link #toString()}) is the first half of a {@link MetricId#key()} and is parsed back by
 * {@link #parse(String)}.
 */
public sealed interface MetricTarget permits MetricTarget.Model, MetricTarget.Latent, MetricTarget.Factor {

    /** The whole-model target, {@code model}. */
    Model MODEL = new Model();

    /** A metric of the whole model (ELBO, rate, distortion, active units, ...). Text form {@code model}. */
    record Model() implements MetricTarget {
        @Override
        public String toString() {
            return "model";
        }
    }

    /**
     * A metric of one latent dimension, numbered from 0. Text form {@code z<dim>}, e.g. {@code z7}.
     *
     * @param dim latent dimension index, ≥ 0
     */
    record Latent(int dim) implements MetricTarget {
        public Latent {
            if (dim < 0) throw new IllegalArgumentException("latent dimension must be ≥ 0, got " + dim);
        }

        @Override
        public String toString() {
            return "z" + dim;
        }
    }

    /**
     * A metric of one ground-truth factor of variation (e.g. the per-factor MIG term of Chen et al. 2018,
     * arXiv:1802.04942). Text form {@code factor:<name>}, e.g. {@code factor:shape}.
     *
     * @param name factor name: non-empty, without {@code /}, {@code ,} or whitespace (it appears in CSV keys)
     */
    record Factor(String name) implements MetricTarget {
        public Factor {
            MetricId.checkToken("factor name", name);
        }

        @Override
        public String toString() {
            return "factor:" + name;
        }
    }

    /**
     * Inverse of {@link #toString()}: {@code model}, {@code z<dim>} or {@code factor:<name>}.
     *
     * @throws IllegalArgumentException naming the text if it is none of these
     */
    static MetricTarget parse(String text) {
        Objects.requireNonNull(text, "metric target");
        if (text.equals("model")) return MODEL;
        if (isLatent(text)) {
            try {
                return new Latent(Integer.parseInt(text.substring(1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid metric target '" + text + "': dimension out of range", e);
            }
        }
        if (text.startsWith("factor:") && text.length() > "factor:".length())
            return new Factor(text.substring("factor:".length()));
        throw new IllegalArgumentException("Invalid metric target '" + text
                + "': expected 'model', 'z<dim>' (e.g. z3) or 'factor:<name>'");
    }

    /** {@code z} then a decimal index without sign or leading zeros, so that toString ∘ parse is the identity. */
    private static boolean isLatent(String text) {
        if (text.length() < 2 || text.charAt(0) != 'z') return false;
        if (text.charAt(1) == '0' && text.length() > 2) return false;
        for (int i = 1; i < text.length(); i++)
            if (text.charAt(i) < '0' || text.charAt(i) > '9') return false;
        return true;
    }
}
