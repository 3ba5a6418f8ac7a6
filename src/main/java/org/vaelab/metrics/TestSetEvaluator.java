package org.vaelab.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.vaelab.data.Binarization;
import org.vaelab.data.ImageDataset;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeModel;

/**
 * Evaluates a trained model on the test set in the manner of Tribuo's evaluators: builds one
 * {@link EvaluationContext} (posterior, reconstruction terms, targets, ground truth) and runs every metric of a
 * {@link MetricSet} over it, skipping, with the reason, each metric whose {@link VaeMetric.Requirement requirements}
 * the data or model cannot meet (MIG without ground-truth factors, BCE with a Gaussian decoder).
 *
 * <p>The standard set ({@link MetricSet#standard(int)}) gives, in nats per example (docs/theory.md §3): ELBO, distortion
 * (mean Rec), rate (mean KL), active units (count and, per dimension, {@code z<j>/active}), per-dimension KL, mutual
 * information I(x; z) with its B, reconstruction MSE per pixel, for Bernoulli models BCE per image, MIG where the data
 * set has factors, and optionally the importance-weighted NLL with its K.
 *
 * <p>Numbers: Rec uses one posterior sample per image from the run's evaluation stream (the usual single-sample ELBO);
 * KL is analytic; MI and IW-NLL draw from their own streams split off the evaluation seed, so switching the IW-NLL on
 * leaves every other number unchanged. How the context is computed ({@code chunkSize}) is separate from the metrics'
 * parameters.
 */
public final class TestSetEvaluator {

    /** The threshold on Cov_x(E_q[z_u]) above which a unit counts as active (Burda et al. 2016). */
    public static final double ACTIVE_UNIT_THRESHOLD = ActiveUnits.DEFAULT_THRESHOLD;

    /**
     * The metrics, the posterior parameters of every test image (for {@code posterior.csv.gz}), and the metrics that
     * were skipped, by name, with the reason.
     */
    public record Evaluation(Map<MetricId, Double> metrics, Posterior posterior, Map<String, String> skipped) {
        public Evaluation {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        }

        /** An evaluation that skipped nothing. */
        public Evaluation(Map<MetricId, Double> metrics, Posterior posterior) {
            this(metrics, posterior, Map.of());
        }
    }

    private TestSetEvaluator() {
    }

    /** The standard metrics except the IW-NLL (which costs K decoder passes per image), without ground truth. */
    public static Evaluation evaluate(VaeModel engine, ImageDataset test, Binarization binarization, long evalSeed) {
        return evaluate(engine, test, binarization, evalSeed, 0);
    }

    /**
     * The standard metrics, plus the importance-weighted NLL with {@code iwSamples} samples per image if it is
     * &gt; 0 ({@link IwNll#DEFAULT_K} = 5000 for final numbers), without ground truth.
     *
     * @throws IllegalArgumentException if iwSamples &lt; 0
     */
    public static Evaluation evaluate(VaeModel engine, ImageDataset test, Binarization binarization, long evalSeed,
                                      int iwSamples) {
        return evaluate(engine, test, GroundTruth.NONE, binarization, evalSeed, MetricSet.standard(iwSamples));
    }

    /**
     * The given metrics over the test set, with the data set's ground truth, in chunks of
     * {@link EvaluationContext#DEFAULT_CHUNK} images.
     */
    public static Evaluation evaluate(VaeModel engine, ImageDataset test, GroundTruth truth, Binarization binarization,
                                      long evalSeed, MetricSet metrics) {
        return evaluate(EvaluationContext.of(engine, test, truth, binarization, evalSeed,
                EvaluationContext.DEFAULT_CHUNK), metrics);
    }

    /**
     * Runs every metric of the set over a context. The result lists whole-model ids first, in the set's order, then
     * per-latent ids, then per-factor ids (so metrics.csv reads as it always has).
     *
     * @throws IllegalStateException if a metric writes an id another metric wrote, or omits one of its declared ids
     */
    public static Evaluation evaluate(EvaluationContext context, MetricSet metrics) {
        Map<MetricId, Double> model = new LinkedHashMap<>(), latent = new LinkedHashMap<>(), factor = new LinkedHashMap<>();
        Map<MetricId, String> writer = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (VaeMetric m : metrics.metrics()) {
            Optional<String> why = m.unmet(context);
            if (why.isPresent()) {
                skipped.put(m.name(), why.get());
                continue;
            }
            Map<MetricId, Double> out = m.compute(context);
            for (MetricId id : m.ids())
                if (!out.containsKey(id))
                    throw new IllegalStateException("metric '" + m.name() + "' did not write its declared id " + id);
            for (var e : out.entrySet()) {
                String other = writer.put(e.getKey(), m.name());
                if (other != null)
                    throw new IllegalStateException("metrics '" + other + "' and '" + m.name() + "' both wrote " + e.getKey());
                MetricTarget t = e.getKey().target();
                (t instanceof MetricTarget.Latent ? latent : t instanceof MetricTarget.Factor ? factor : model)
                        .put(e.getKey(), e.getValue());
            }
        }
        model.putAll(latent);
        model.putAll(factor);
        return new Evaluation(model, context.posterior(), skipped);
    }
}
