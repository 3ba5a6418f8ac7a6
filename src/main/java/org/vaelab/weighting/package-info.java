/**
 * How the KL term is weighted against reconstruction: one small interface, {@link org.vaelab.weighting.Weighting},
 * that every scheme implements, and the per-step loss coefficients it returns, {@link org.vaelab.weighting.LossWeights}.
 *
 * <p>Schedules are immutable records that read only the step; controllers also read the batch's Rec and KL
 * and keep explicit state with {@code reset()}. Each class cites its paper; formulas follow
 * {@code SCIENCE.md} §2 exactly, and any deviation is stated in the class's Javadoc.
 */
package org.vaelab.weighting;
