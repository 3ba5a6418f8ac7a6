package org.vaelab.model;

/**
 * Diagonal-Gaussian posterior parameters q(z|x) = N(μ, diag(exp(logvar))) for n examples, row-major
 * ({@code mu[i * d + j]}).
 *
 * @param n      number of examples
 * @param d      latent dimensions
 * @param mu     means, n × d
 * @param logvar log variances, n × d
 */
public record Posterior(int n, int d, double[] mu, double[] logvar) {
    public Posterior {
        if (mu.length != (long) n * d || logvar.length != (long) n * d)
            throw new IllegalArgumentException("posterior arrays must have n*d = " + (long) n * d
                    + " entries, got mu " + mu.length + ", logvar " + logvar.length);
    }

    public double mu(int i, int j) {
        return mu[i * d + j];
    }

    public double logvar(int i, int j) {
        return logvar[i * d + j];
    }
}
