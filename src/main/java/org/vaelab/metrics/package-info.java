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
 *       (Burda, Grosse and Salakhutdinov 2016), {@link org.vaelab.metrics.Elbo} (ELBO = −(D + R)),
 *       {@link org.vaelab.metrics.MutualInformation} (I(x; z) as in He et al. 2019),
 *       {@link org.vaelab.metrics.Reconstruction} (MSE per pixel, BCE per image), {@link org.vaelab.metrics.Mig}
 *       (Chen et al. 2018), {@link org.vaelab.metrics.LogSumExp} (stable reductions) and
 *       {@link org.vaelab.metrics.IwNll} (importance-weighted NLL; its {@code of(double[])} is pure, its engine form
 *       draws samples and calls the decoder).</li>
 *   <li>{@link org.vaelab.metrics.KlTrace}: per-dimension KL over training (steps × d), recorded by the trainer.</li>
 *   <li>Evaluation in the shape of Tribuo's evaluators: {@link org.vaelab.metrics.EvaluationContext} is computed
 *       once per run (posterior, one-sample reconstruction terms, decoder means, targets, labels and factors where
 *       the data set has them, importance samples on demand); each {@link org.vaelab.metrics.VaeMetric} is a thin
 *       object over a pure function that declares its ids, table columns and
 *       {@link org.vaelab.metrics.VaeMetric.Requirement requirements}; {@link org.vaelab.metrics.MetricSet#standard}
 *       lists vaelab's metrics in one place; {@link org.vaelab.metrics.TestSetEvaluator} runs a set over a context
 *       and fills a run's metric map, skipping with a reason what the data or model cannot support
 *       ({@link org.vaelab.metrics.GroundTruth} says what the data set knows). Adding a metric = one class
 *       implementing {@code VaeMetric} + one line in {@code MetricSet.standard}.</li>
 *   <li>Aggregation over seeds: {@link org.vaelab.metrics.SeedAggregator} turns one
 *       {@code Map<MetricId, Double>} per seed into a {@link org.vaelab.metrics.Summary} per metric
 *       (n, mean, standard deviation and a 95% Student-t confidence interval);
 *       {@link org.vaelab.metrics.PairedComparison} compares two configurations over shared seeds (paired t-test
 *       with its interval, Wilcoxon signed-rank).</li>
 *   <li>{@link org.vaelab.metrics.LinearGaussianVae}: a linear-Gaussian model behind the engine interface whose
 *       likelihood, posterior, ELBO and mutual information are known in closed form, to check the estimators.</li>
 * </ul>
 *
 * <p>Conventions (docs/theory.md): every per-example quantity is summed over pixels or latent dimensions and then
 * averaged over examples; all values are in nats. Nothing here trains. The estimators that sample (IW-NLL, MI,
 * the evaluator's one-sample Rec) take an explicit seed or generator, and every function is checked against a
 * closed form or a hand computation (the {@code metrics-check} experiment repeats the checks at larger sizes).
 */
package org.vaelab.metrics;
