/**
 * Evaluation metrics for VAEs, as pure functions, typed metric ids and seed aggregation.
 *
 * <p>What lives here:
 * <ul>
 *   <li>{@link org.vaelab.metrics.MetricId} = ({@link org.vaelab.metrics.MetricTarget}, name): the key of every
 *       number a run reports, with a stable text form ({@code model/elbo}, {@code z3/kl}) for CSV files.</li>
 *   <li>Pure functions, each a small final class with {@code static ... of(...)} and no state:
 *       {@link org.vaelab.metrics.GaussianKl} (closed-form KL of a diagonal Gaussian posterior against N(0, I),
 *       per dimension: the rate R of Alemi et al. 2018), {@link org.vaelab.metrics.ActiveUnits}
 *       (Burda, Grosse and Salakhutdinov 2016), {@link org.vaelab.metrics.Elbo} (ELBO = −(D + R)).</li>
 *   <li>Aggregation over seeds: {@link org.vaelab.metrics.SeedAggregator} turns one
 *       {@code Map<MetricId, Double>} per seed into a {@link org.vaelab.metrics.Summary} per metric
 *       (n, mean, standard deviation and a 95% Student-t confidence interval).</li>
 * </ul>
 *
 * <p>Conventions (SCIENCE.md): every per-example quantity is summed over pixels or latent dimensions and then
 * averaged over examples; all values are in nats. Nothing here trains or samples: inputs are posterior
 * parameters and per-example terms computed elsewhere, so every function is checked against closed forms.
 */
package org.vaelab.metrics;
