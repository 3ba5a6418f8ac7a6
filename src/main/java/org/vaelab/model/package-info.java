/**
 * The VAE itself: its shape ({@link org.vaelab.model.VaeArchitecture}, {@link org.vaelab.model.Activation},
 * {@link org.vaelab.model.Likelihood}), what one training step measures and returns
 * ({@link org.vaelab.model.BatchStats}, {@link org.vaelab.model.StepResult}), the encoder's output
 * ({@link org.vaelab.model.Posterior}), and the engines that compute and train it behind
 * {@link org.vaelab.model.VaeEngine}.
 *
 * <p>An engine owns the parameters and the optimiser and nothing else: the caller supplies every random
 * number (the reparameterisation noise ε), and a {@link org.vaelab.weighting.Weighting} chooses the loss
 * coefficients from each batch's measured Rec and KL, so all weighting schemes train through the same code
 * path and can share one noise stream. Conventions follow SCIENCE.md: Rec and KL are summed over pixels and
 * latent dimensions per example, then averaged over the batch, in nats.
 *
 * <p>{@link org.vaelab.model.NativeMlpEngine} is the reference engine: an MLP encoder and decoder with a
 * hand-written backward pass in ND4J, checked entry by entry against finite differences.
 */
package org.vaelab.model;
