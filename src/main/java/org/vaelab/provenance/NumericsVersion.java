package org.vaelab.provenance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The declared version of the code that produces a run's numbers, one integer per component, bumped by hand.
 *
 * <p>A run's identity in the run store is its configuration plus these versions (and its data checksums), not a
 * hash of the code: the training versions ({@link #DATA}, {@link #MODEL}, {@link #TRAIN}, {@link #WEIGHTING}) are in
 * the train key ({@link Json#trainKey}), so bumping one retrains every run; {@link #EVALUATION} is only in the eval
 * key ({@link Json#evalKey}), so bumping it re-evaluates every run from its saved model without retraining.
 *
 * <p><b>When to bump.</b> Bump a component for <em>any</em> change that can move a number that component produces,
 * however small: a different formula, summation order, float/double choice, random draw order, seed split, default
 * or kernel. Do not bump for refactorings, comments, messages, logging or performance changes that leave every
 * number bit-identical. If unsure, run the golden-run test ({@code GoldenRunTest}): it fails when the tiny recorded
 * run's metrics move while these versions stay the same. After a bump, re-record the golden run (its Javadoc gives
 * the command) and add a line to the changelog below.
 *
 * <p>The compiled classes' hash ({@link CodeVersion}) is recorded beside these versions and only warns when a reused
 * run was made by other code with the same versions.
 *
 * <h2>Changelog</h2>
 * <pre>
 * data 1, model 1, train 1, weighting 1, evaluation 1: first declared versions (the code of 2026-11, which keyed runs
 *     by a hash of the compiled classes instead); golden run recorded in src/test/resources/golden/tiny-run.csv.
 * evaluation 2: MI estimates q(z) against the whole evaluation set (bound log n) instead of batches of 500 (bound
 *     log 500 = 6.21, where most trained models sat); MIG joins the standard metrics on data with factors.
 * (no bump) the IW-NLL metric also writes model/iw_nll_k1, _k10, … from the first K' of its K samples: no existing
 *     number moves, so finished runs are not re-evaluated; runs evaluated before lack these ids, which no report
 *     requires (they are not "reported" metrics).
 * (no bump) under kernels other than OpenBLAS's SkylakeX (the Haswell ones of an AVX2 CPU) float products are two
 *     column halves on one OpenBLAS thread each ({@code model.Gemm}), which gives the bits of one single-threaded
 *     call: runs on one processor keep their numbers; runs on two under those kernels now get the one-processor
 *     numbers instead of OpenBLAS's two-thread ones, which had depended on the thread count all along. Nothing under
 *     SkylakeX (every committed run) moves.
 * </pre>
 */
public final class NumericsVersion {

    /**
     * Loading and preparing data: readers, checksums, subsets, class-balanced ordering, binarisation
     * ({@code org.vaelab.data}, {@code DataConfig}). Bump when the pixels or targets a run sees can change.
     */
    public static final int DATA = 1;

    /**
     * The model's computation: forward and backward passes, likelihoods, initialisation, Adam, matrix products and
     * their chunking ({@code org.vaelab.model}, and the loss's terms and coefficients, {@code org.vaelab.loss}). Bump
     * when a loss, gradient, initial weight or update can change.
     */
    public static final int MODEL = 1;

    /**
     * The training loop: seeds and their split ({@code Seeds}), batch order, noise ε, step bookkeeping
     * ({@code org.vaelab.train}). Bump when the sequence of batches, noise or steps can change.
     */
    public static final int TRAIN = 1;

    /**
     * The KL weighting schemes ({@code org.vaelab.weighting}): β schedules, free bits, controllers, σ calibration.
     * Bump when the weights any scheme chooses at a step can change.
     */
    public static final int WEIGHTING = 1;

    /**
     * Test-set evaluation ({@code org.vaelab.metrics}, {@code TestSetEvaluator}): ELBO, Rec, KL, active units, MI,
     * MSE/BCE, IW-NLL, their seeds and batching. Bump when any reported metric of a trained model can change; runs
     * are then re-evaluated from their saved models, not retrained. Adding a new metric without changing the
     * existing ones needs a bump too, so that finished runs are re-evaluated and gain it.
     */
    public static final int EVALUATION = 2;

    private NumericsVersion() {
    }

    /** The versions that determine a trained model, by component name: {@code data, model, train, weighting}. */
    public static Map<String, Integer> training() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("data", DATA);
        m.put("model", MODEL);
        m.put("train", TRAIN);
        m.put("weighting", WEIGHTING);
        return Collections.unmodifiableMap(m);
    }

    /** The version that determines a trained model's metrics: {@code evaluation}. */
    public static Map<String, Integer> evaluation() {
        return Map.of("evaluation", EVALUATION);
    }

    /** Every component's version, as recorded in provenance ({@code numericsVersion}). */
    public static Map<String, Integer> all() {
        Map<String, Integer> m = new LinkedHashMap<>(training());
        m.putAll(evaluation());
        return Collections.unmodifiableMap(m);
    }
}
