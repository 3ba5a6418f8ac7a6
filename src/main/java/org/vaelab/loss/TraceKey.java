package org.vaelab.loss;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The name of one quantity a weighting scheme logs at every step ({@link LossWeights#trace()}), e.g. the KL weight
 * β in force or GECO's Lagrange multiplier λ. The {@link #key()} is the column name in {@code steps.csv} and never
 * changes, so run files written before this type existed read back; a column this version does not know (a scheme
 * added later) still reads, as a key that is not {@link #known()}.
 *
 * @param key the column name in {@code steps.csv}: non-blank, no comma or line break
 */
public record TraceKey(String key) {

    /** The KL weight β in force (β_eff = w·D/d for the mean-reduction recipe); what the results table reports. */
    public static final TraceKey BETA = new TraceKey("beta");
    /** The mean-reduction recipe's nominal weight w. */
    public static final TraceKey W = new TraceKey("w");
    /** GECO's Lagrange multiplier λ, or the free-bits floor λ per dimension. */
    public static final TraceKey LAMBDA = new TraceKey("lambda");
    /** GECO's constraint value and its moving average. */
    public static final TraceKey CONSTRAINT = new TraceKey("constraint");
    public static final TraceKey CONSTRAINT_MA = new TraceKey("constraint_ma");
    /** The capacity C_t of Burgess et al. (2018) in nats. */
    public static final TraceKey CAPACITY = new TraceKey("capacity");
    /** The capacity objective's signed KL coefficient ±γ. */
    public static final TraceKey KL_WEIGHT = new TraceKey("kl_weight");
    /** The σ-VAE's decoder σ. */
    public static final TraceKey SIGMA = new TraceKey("sigma");
    /** Free bits: how many dimensions are below the floor λ in this batch. */
    public static final TraceKey DIMS_BELOW_LAMBDA = new TraceKey("dims_below_lambda");
    /** ControlVAE's PI controller: error, proportional and integral terms. */
    public static final TraceKey ERROR = new TraceKey("error");
    public static final TraceKey P_TERM = new TraceKey("p_term");
    public static final TraceKey I_TERM = new TraceKey("i_term");

    /** Every key a scheme of this version logs. */
    public static final List<TraceKey> KNOWN = List.of(BETA, W, LAMBDA, CONSTRAINT, CONSTRAINT_MA, CAPACITY, KL_WEIGHT,
            SIGMA, DIMS_BELOW_LAMBDA, ERROR, P_TERM, I_TERM);

    /**
     * The weights that a schedule or a controller moves during training: β, GECO's λ and the capacity C_t. A run
     * whose columns of these change from step to step has a weight that changes in training.
     */
    public static final Set<TraceKey> MOVING_WEIGHTS = Set.of(BETA, LAMBDA, CAPACITY);

    private static final Map<String, TraceKey> BY_KEY =
            KNOWN.stream().collect(Collectors.toUnmodifiableMap(TraceKey::key, Function.identity()));

    public TraceKey {
        Objects.requireNonNull(key, "trace key");
        if (key.isBlank() || key.contains(",") || key.contains("\n") || key.contains("\r"))
            throw new IllegalArgumentException("trace key must be a non-blank CSV column name, got '" + key + "'");
    }

    /** The key of a {@code steps.csv} column: a known constant, or a new key for a column this version does not know. */
    public static TraceKey of(String key) {
        TraceKey k = BY_KEY.get(key);
        return k != null ? k : new TraceKey(key);
    }

    /** Whether a scheme of this version logs this key. */
    public boolean known() {
        return BY_KEY.containsKey(key);
    }

    @Override
    public String toString() {
        return key;
    }
}
