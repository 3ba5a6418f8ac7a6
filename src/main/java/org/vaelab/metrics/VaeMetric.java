package org.vaelab.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One evaluation metric as an object, in the shape of Tribuo's {@code EvaluationMetric}: it declares what it writes
 * ({@link #ids()}), how the report shows it ({@link #columns()}), what the data or model must provide
 * ({@link #requires()}), and computes its numbers from an {@link EvaluationContext} built once per run.
 *
 * <p>Metric objects are thin: the arithmetic lives in the pure {@code static of(...)} functions of
 * {@link Elbo}, {@link ActiveUnits}, {@link MutualInformation}, {@link Mig}, ... (Smile style), and a metric object
 * only picks its inputs from the context and names its outputs. A metric's parameters (the MI mixture size B, the
 * IW-NLL's K, MIG's bins) are constructor arguments of the metric; how the context is computed (chunk sizes) is not
 * a metric parameter, so a performance setting cannot change a number.
 *
 * <p>To add a metric: write one class implementing this interface and add one line to
 * {@link MetricSet#standard(int)}. The evaluator, metrics.csv and the results table pick it up from there.
 */
public interface VaeMetric {

    /** What a metric needs beyond the posterior and the reconstructions, which every context has. */
    enum Requirement {
        /** Class labels of the evaluation images ({@link EvaluationContext#labels()}). */
        LABELS,
        /** Ground-truth factors of variation ({@link EvaluationContext#factors()}), e.g. the sprites set. */
        FACTORS,
        /** Importance samples, i.e. further decoder calls ({@link EvaluationContext#importanceSampled(int)}). */
        IMPORTANCE_SAMPLES,
        /** A Bernoulli decoder (terms such as the BCE only exist for it). */
        BERNOULLI_DECODER
    }

    /**
     * A column of the results table: the metric id it shows, its headers, decimals and a one-line definition.
     *
     * @param id            the metric shown (mean ± 95% t-interval over seeds)
     * @param header        Markdown header, e.g. {@code Rec (D)}
     * @param latexHeader   LaTeX header, e.g. {@code Rec ($D$)}
     * @param decimals      decimals of mean and half-width, 0 … 10
     * @param definition    one-line definition with its reference, for a legend
     * @param parameter     a metric whose value (from the first row) is shown in the header, e.g. {@code model/iw_k}
     *                      for {@code IW-NLL (K=5000)}; null if none
     * @param parameterName the symbol of that value in the header, e.g. {@code K}; null iff parameter is null
     */
    record Column(MetricId id, String header, String latexHeader, int decimals, String definition,
                  MetricId parameter, String parameterName) {
        public Column {
            Objects.requireNonNull(id, "column metric id");
            if (header == null || header.isBlank()) throw new IllegalArgumentException("column header of " + id + " is empty");
            if (latexHeader == null || latexHeader.isBlank())
                throw new IllegalArgumentException("column LaTeX header of " + id + " is empty");
            if (decimals < 0 || decimals > 10)
                throw new IllegalArgumentException("column " + id + ": decimals must be in [0, 10], got " + decimals);
            Objects.requireNonNull(definition, "column definition");
            if ((parameter == null) != (parameterName == null))
                throw new IllegalArgumentException("column " + id + ": parameter " + parameter + " and its name '"
                        + parameterName + "' must be given together");
        }

        /** A column without a parameter in its header. */
        public static Column of(MetricId id, String header, String latexHeader, int decimals, String definition) {
            return new Column(id, header, latexHeader, decimals, definition, null, null);
        }

        /** This column with {@code (name=value)} of {@code parameter} appended to its headers. */
        public Column withParameter(MetricId parameter, String name) {
            return new Column(id, header, latexHeader, decimals, definition, Objects.requireNonNull(parameter, "parameter"),
                    Objects.requireNonNull(name, "parameter name"));
        }
    }

    /** A short unique name within a {@link MetricSet}, e.g. {@code elbo}; used in messages and skip reasons. */
    String name();

    /**
     * The whole-model ids this metric always writes, in the order it writes them. Per-latent ({@code z<j>/...}) and
     * per-factor ({@code factor:<name>/...}) ids depend on the model and data and are not listed.
     */
    List<MetricId> ids();

    /** Columns of the results table, empty if the metric only goes to metrics.csv. */
    default List<Column> columns() {
        return List.of();
    }

    /** What this metric needs; the evaluator skips it, with the reason, where the context cannot provide it. */
    default Set<Requirement> requires() {
        return Set.of();
    }

    /**
     * Whether the report reads {@link #ids()} from every finished run, so that a finished run lacking one is damaged
     * ({@code RunFiles.REPORTED_METRICS}). Only metrics without requirements can be reported.
     */
    default boolean reported() {
        return false;
    }

    /**
     * Why this metric cannot run on this context, if it cannot: by default, the first of {@link #requires()} the
     * context does not meet. A metric with a further condition (MIG needs two latents) adds it here.
     */
    default Optional<String> unmet(EvaluationContext context) {
        for (Requirement r : requires()) {
            Optional<String> why = context.unmet(r);
            if (why.isPresent()) return why;
        }
        return Optional.empty();
    }

    /**
     * The metric's numbers, by id, in writing order. Called only when {@link #unmet} is empty.
     *
     * @return every id of {@link #ids()}, plus any per-latent or per-factor ids
     */
    Map<MetricId, Double> compute(EvaluationContext context);
}
