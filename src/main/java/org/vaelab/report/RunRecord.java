package org.vaelab.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vaelab.metrics.MetricId;
import org.vaelab.provenance.Provenance;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;

/**
 * Everything a finished run leaves behind, as read by reports: its config, provenance, final test metrics and
 * step log. Immutable. A run that diverged has {@code failure} set and no metrics.
 *
 * @param config     the run's configuration
 * @param provenance where the numbers came from
 * @param metrics    final test-set metrics
 * @param steps      per-step training log
 * @param failure    null for a finished run; otherwise why it stopped (e.g. divergence at step t)
 */
public record RunRecord(RunConfig config, Provenance provenance, Map<MetricId, Double> metrics, StepLog steps,
                        String failure) {
    public RunRecord {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public boolean failed() {
        return failure != null;
    }

    /**
     * {@code metric} of each run by its seed, in the runs' order, for paired comparisons over seeds; runs without a
     * finite value are left out.
     */
    public static Map<Long, Double> bySeed(Iterable<RunRecord> runs, MetricId metric) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            Double v = r.metrics().get(metric);
            if (v != null && Double.isFinite(v)) m.put(r.config().seed(), v);
        }
        return m;
    }

    /** The run's folder name in the store (readable id plus the start of its run key). */
    public String runId() {
        return provenance.runId();
    }
}
