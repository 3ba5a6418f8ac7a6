package org.vaelab.metrics;

import java.util.Objects;

/**
 * The key of one reported number: what it is about ({@link MetricTarget}) and which metric it is
 * (in the manner of Tribuo's {@code MetricID}). Its text form {@link #key()}, e.g. {@code model/elbo} or
 * {@code z3/kl}, is the column or row key in CSV files and is read back by {@link #parse(String)}.
 *
 * <p>Standard ids, all in nats per example on the test set (docs/theory.md §3; Alemi et al. 2018,
 * arXiv:1711.00464, for rate and distortion):
 * <ul>
 *   <li>{@link #ELBO} {@code model/elbo} = E_q[log p(x|z)] − KL = −(D + R);</li>
 *   <li>{@link #REC} {@code model/rec}: the distortion D = −E_x E_q[log p(x|z)];</li>
 *   <li>{@link #KL} {@code model/kl}: the rate R = E_x KL(q(z|x) ‖ p(z));</li>
 *   <li>{@link #ACTIVE_UNITS} {@code model/active_units}: count of active latent units (Burda et al. 2016);</li>
 *   <li>{@link #MI} {@code model/mi}: I(x; z) (Hoffman and Johnson 2016), estimated with batches of
 *       {@link #MI_BATCH} {@code model/mi_batch} = B examples;</li>
 *   <li>{@link #MSE} {@code model/mse}: per-pixel squared error of the reconstruction at z = μ;
 *       {@link #BCE} {@code model/bce}: per-image binary cross-entropy at z = μ (Bernoulli models);</li>
 *   <li>{@link #IW_NLL} {@code model/iw_nll}: importance-weighted NLL (Burda et al. 2016) with
 *       {@link #IW_K} {@code model/iw_k} = K samples, and {@link #iwNllAt(int)} {@code model/iw_nll_k<k>} from the
 *       first k of them;</li>
 *   <li>{@link #klOfDim(int)} {@code z<j>/kl}: the mean KL of latent dimension j;
 *       {@link #activeOfDim(int)} {@code z<j>/active}: 1 if dimension j is an active unit, else 0.</li>
 * </ul>
 *
 * @param target what the metric is about
 * @param name   metric name: non-empty, without {@code /}, {@code ,} or whitespace
 */
public record MetricId(MetricTarget target, String name) {

    /** Test-set ELBO, nats per example: −(rec + kl). */
    public static final MetricId ELBO = model("elbo");
    /** Test-set distortion D = mean reconstruction term −log p(x|z), nats per example. */
    public static final MetricId REC = model("rec");
    /** Test-set rate R = mean KL(q(z|x) ‖ N(0, I)), nats per example. */
    public static final MetricId KL = model("kl");
    /** Number of active latent units, A_u &gt; 0.01 (Burda et al. 2016, arXiv:1509.00519). */
    public static final MetricId ACTIVE_UNITS = model("active_units");
    /** Mutual information I(x; z) under the encoder, nats ({@link MutualInformation}). */
    public static final MetricId MI = model("mi");
    /** The batch size B of the {@link #MI} estimate (it cannot exceed about log B). */
    public static final MetricId MI_BATCH = model("mi_batch");
    /** Reconstruction mean squared error per pixel at z = μ ({@link Reconstruction#mse}). */
    public static final MetricId MSE = model("mse");
    /** Reconstruction binary cross-entropy per image, summed over pixels, at z = μ, nats (Bernoulli models). */
    public static final MetricId BCE = model("bce");
    /** Importance-weighted NLL, nats per example ({@link IwNll}). */
    public static final MetricId IW_NLL = model("iw_nll");
    /** The number K of importance samples behind {@link #IW_NLL}. */
    public static final MetricId IW_K = model("iw_k");
    /** The Monte-Carlo standard error of {@link #IW_NLL} for the run's images ({@link IwNll.Result#monteCarloError}). */
    public static final MetricId IW_NLL_MC_SE = model("iw_nll_mc_se");
    /** −ELBO − IW-NLL, both from the same K samples per image: how much the ELBO loses to the likelihood bound. */
    public static final MetricId IW_GAP = model("iw_gap");

    /**
     * The IW-NLL from each image's first {@code k} importance samples, written beside {@link #IW_NLL} for every
     * k of {@link IwNll#prefixes} (powers of ten below the run's K): {@code model/iw_nll_k1}, {@code model/iw_nll_k10}, …
     * How the estimate moves with K (Burda et al. 2016, Theorem 1: it cannot rise in expectation).
     *
     * @throws IllegalArgumentException if k &lt; 1
     */
    public static MetricId iwNllAt(int k) {
        if (k < 1) throw new IllegalArgumentException("importance samples K must be ≥ 1, got " + k);
        return model("iw_nll_k" + k);
    }

    public MetricId {
        Objects.requireNonNull(target, "metric target");
        checkToken("metric name", name);
    }

    /** A metric of the whole model, e.g. {@code model("elbo")}. */
    public static MetricId model(String name) {
        return new MetricId(MetricTarget.MODEL, name);
    }

    /** A metric of latent dimension {@code dim}, e.g. {@code latent(3, "kl")} = {@code z3/kl}. */
    public static MetricId latent(int dim, String name) {
        return new MetricId(new MetricTarget.Latent(dim), name);
    }

    /** A metric of a ground-truth factor, e.g. {@code factor("shape", "mig")} = {@code factor:shape/mig}. */
    public static MetricId factor(String factor, String name) {
        return new MetricId(new MetricTarget.Factor(factor), name);
    }

    /** Mean KL of latent dimension j, {@code z<j>/kl}. */
    public static MetricId klOfDim(int j) {
        return latent(j, "kl");
    }

    /** Whether latent dimension j is an active unit (1) or not (0), {@code z<j>/active}. */
    public static MetricId activeOfDim(int j) {
        return latent(j, "active");
    }

    /** The text form {@code <target>/<name>}, e.g. {@code model/elbo}, {@code z3/kl}. */
    public String key() {
        return target + "/" + name;
    }

    /**
     * Inverse of {@link #key()}.
     *
     * @throws IllegalArgumentException naming the key if it is not {@code <target>/<name>} with a valid target
     *                                  and name
     */
    public static MetricId parse(String key) {
        Objects.requireNonNull(key, "metric key");
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0)
            throw new IllegalArgumentException("Invalid metric key '" + key
                    + "': expected <target>/<name>, e.g. model/elbo or z3/kl");
        try {
            return new MetricId(MetricTarget.parse(key.substring(0, slash)), key.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid metric key '" + key + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return key();
    }

    /** Names and factor names appear inside CSV keys, so they exclude the key separator, commas and spaces. */
    static void checkToken(String what, String token) {
        Objects.requireNonNull(token, what);
        if (token.isEmpty()) throw new IllegalArgumentException(what + " must not be empty");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '/' || c == ',' || Character.isWhitespace(c))
                throw new IllegalArgumentException(what + " '" + token
                        + "' must not contain '/', ',' or whitespace");
        }
    }
}
