/**
 * How the KL term is weighted against reconstruction: one small interface, {@link org.vaelab.weighting.Weighting},
 * that every scheme implements. From where training is ({@link org.vaelab.weighting.Progress}) and what the batch
 * measured ({@link org.vaelab.loss.BatchStats}) it returns the step's loss coefficients
 * ({@link org.vaelab.loss.LossWeights}); it never sees the model, and the model never sees it: the trainer passes
 * one's answer to the other. A new scheme is one class here; nothing else needs to list it.
 *
 * <p>Schedules are immutable records that read only the step ({@link org.vaelab.weighting.LinearWarmup},
 * {@link org.vaelab.weighting.SigmoidAnnealing}, {@link org.vaelab.weighting.CyclicalAnnealing}, lengths as a
 * {@link org.vaelab.weighting.Span}); {@link org.vaelab.weighting.CapacityAnnealing} and
 * {@link org.vaelab.weighting.FreeBits} also read the batch's KL; controllers ({@link org.vaelab.weighting.Geco},
 * {@link org.vaelab.weighting.ControlVae}, {@link org.vaelab.weighting.SigmaVae}) read the batch and keep explicit
 * state with {@code reset()} and {@code copy()}. A weighting that calibrates the decoder's σ implements
 * {@link org.vaelab.weighting.DecoderSigma}. Each class cites its paper; formulas follow docs/theory.md §2
 * exactly, and any deviation is stated in the class's Javadoc.
 */
package org.vaelab.weighting;
