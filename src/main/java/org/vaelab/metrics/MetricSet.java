package org.vaelab.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An ordered list of metrics: what {@link TestSetEvaluator} computes, in which order metrics.csv lists the numbers
 * (whole-model ids in list order, then per-latent, then per-factor ids), and which columns the results table can
 * show. {@link #standard(int)} is the one place that lists vaelab's metrics.
 *
 * @param metrics the metrics, with distinct names and distinct {@link VaeMetric#ids()}
 */
public record MetricSet(List<VaeMetric> metrics) {

    /**
     * The order of the results table's columns for the standard metrics, as reports have always shown them. Columns
     * of metrics not listed here follow these in list order, so a new metric's column needs no line here.
     */
    private static final List<MetricId> TABLE_ORDER = List.of(MetricId.ELBO, MetricId.IW_NLL, MetricId.IW_GAP, MetricId.REC,
            MetricId.KL, MetricId.MI, MetricId.ACTIVE_UNITS);

    public MetricSet {
        metrics = List.copyOf(metrics);
        Map<String, String> names = new HashMap<>();
        Map<MetricId, String> ids = new HashMap<>();
        for (VaeMetric m : metrics) {
            Objects.requireNonNull(m.name(), "metric name");
            if (names.put(m.name(), m.name()) != null)
                throw new IllegalArgumentException("two metrics are named '" + m.name() + "'");
            for (MetricId id : m.ids()) {
                String other = ids.put(id, m.name());
                if (other != null)
                    throw new IllegalArgumentException("metrics '" + other + "' and '" + m.name() + "' both write " + id);
            }
            for (VaeMetric.Column c : m.columns())
                if (!m.ids().contains(c.id()))
                    throw new IllegalArgumentException("metric '" + m.name() + "' has a column for " + c.id()
                            + ", which is not one of its ids " + m.ids());
            if (m.reported() && !m.requires().isEmpty())
                throw new IllegalArgumentException("metric '" + m.name() + "' is reported by every run but requires "
                        + m.requires() + ", which not every data set or model has");
        }
    }

    /**
     * vaelab's metrics, in metrics.csv order. <b>To add a metric, add one line here</b> (its class implements
     * {@link VaeMetric}); a metric whose requirements a data set cannot meet is skipped there, with its reason.
     *
     * @param iwSamples K of the importance-weighted NLL, or 0 for off (it costs K decoder passes per image)
     * @throws IllegalArgumentException if iwSamples &lt; 0
     */
    public static MetricSet standard(int iwSamples) {
        List<VaeMetric> m = new ArrayList<>();
        m.add(new ElboMetric());
        m.add(new KlPerDimensionMetric());
        m.add(new ActiveUnitsMetric(ActiveUnits.DEFAULT_THRESHOLD));
        m.add(new MutualInformationMetric(MutualInformationMetric.DEFAULT_BATCH));
        m.add(new MseMetric());
        m.add(new BceMetric());
        m.add(new IwNllMetric(iwSamples));
        m.add(new MigMetric(Mig.DEFAULT_BINS));
        return new MetricSet(m);
    }

    /** The standard metrics with the IW-NLL off: the list that tables and {@code RunFiles} read columns and ids from. */
    public static MetricSet standard() {
        return standard(0);
    }

    /** This set with {@code metric} appended. */
    public MetricSet with(VaeMetric metric) {
        List<VaeMetric> m = new ArrayList<>(metrics);
        m.add(Objects.requireNonNull(metric, "metric"));
        return new MetricSet(m);
    }

    /** The ids of the {@linkplain VaeMetric#reported() reported} metrics, in list order. */
    public List<MetricId> reportedIds() {
        List<MetricId> out = new ArrayList<>();
        for (VaeMetric m : metrics) if (m.reported()) out.addAll(m.ids());
        return List.copyOf(out);
    }

    /**
     * The results-table columns of all metrics: the standard ones in the order reports have always used, then any
     * others in list order.
     */
    public List<VaeMetric.Column> columns() {
        List<VaeMetric.Column> all = new ArrayList<>();
        for (VaeMetric m : metrics) all.addAll(m.columns());
        List<VaeMetric.Column> out = new ArrayList<>();
        Set<MetricId> placed = new HashSet<>();
        for (MetricId id : TABLE_ORDER)
            for (VaeMetric.Column c : all)
                if (c.id().equals(id) && placed.add(id)) out.add(c);
        for (VaeMetric.Column c : all) if (placed.add(c.id())) out.add(c);
        return List.copyOf(out);
    }
}
