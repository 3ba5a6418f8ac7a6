/**
 * Published claims and their verdicts, computed from runs: the part of a reproduction that says "reproduced" or
 * "not reproduced", fixed before the runs exist and never written by hand.
 *
 * <p>What lives here:
 * <ul>
 *   <li>{@link org.vaelab.claims.Claim}: one testable claim of one paper: the quantity measured, how the per-seed
 *       effect is formed ({@link org.vaelab.claims.Comparison}: arm A − arm B paired by seed, one arm against a
 *       reference value, or a statistic of several arms), the setting and how it departs from the paper's, and the
 *       pre-registered {@link org.vaelab.claims.Rule} (directional, non-inferiority or equivalence, with its margin
 *       stated up front).</li>
 *   <li>{@link org.vaelab.claims.SeedTable}: the finished runs' numbers by arm, seed and metric, the only input.</li>
 *   <li>{@link org.vaelab.claims.Verdict}: the outcome ({@link org.vaelab.claims.Outcome}), the mean effect with
 *       its 95% Student-t interval over seeds, and the reason in words; fewer than
 *       {@value org.vaelab.claims.Verdict#MIN_SEEDS} seeds, or a quantity that cannot separate the arms (a
 *       {@link org.vaelab.claims.Claim.Guard}), give "inconclusive" with the reason.</li>
 *   <li>{@link org.vaelab.claims.Assessment}: a claim's verdicts under several settings (the base and its
 *       robustness re-runs); a claim whose verdict changes between them is fragile.</li>
 * </ul>
 * The package depends only on {@code org.vaelab.metrics} (ids and the t-interval); experiments turn their runs into
 * a {@code SeedTable} and render the assessments.
 */
package org.vaelab.claims;
