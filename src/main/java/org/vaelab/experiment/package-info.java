/**
 * Running experiments: the {@link org.vaelab.experiment.Experiment} interface (a question, its arms and seeds), the
 * {@link org.vaelab.experiment.ExperimentRegistry} that finds them, the command-line
 * {@link org.vaelab.experiment.Overrides}, and the {@link org.vaelab.experiment.ExperimentRunner} that trains and
 * evaluates every arm × seed, reuses finished runs ({@link org.vaelab.experiment.Reevaluation}) and writes the report.
 *
 * <p>The experiments themselves live in {@code org.vaelab.experiments} (the {@code experiments/} source root), which
 * uses this package; this package finds them through {@link java.util.ServiceLoader} and never imports them.
 */
package org.vaelab.experiment;
