/**
 * The VAE itself: its shape ({@link org.vaelab.model.VaeArchitecture}, {@link org.vaelab.model.Activation},
 * {@link org.vaelab.model.Likelihood}), the encoder's output ({@link org.vaelab.model.Posterior}), its weights as a
 * detached copy ({@link org.vaelab.model.ModelParameters}), and two faces: {@link org.vaelab.model.VaeModel}, a model
 * that is evaluated (encode, decode, reconstruction NLL), and {@link org.vaelab.model.VaeEngine}, a model that also
 * trains.
 *
 * <p>An engine owns the parameters and the optimiser and nothing else: the caller supplies every random number (the
 * reparameterisation noise ε) and the loss coefficients. A step is {@code forward} (which measures the batch's
 * {@link org.vaelab.loss.BatchStats}) then {@code step} (which differentiates the loss with the given
 * {@link org.vaelab.loss.LossWeights} and updates); the trainer asks the run's weighting for the coefficients in
 * between, so the model does not know the weighting schemes, and all of them train through the same code path and
 * can share one noise stream.
 *
 * <p>{@link org.vaelab.model.NativeMlpEngine} is the reference engine: an MLP encoder and decoder with a
 * hand-written backward pass in ND4J, checked entry by entry against finite differences.
 */
package org.vaelab.model;
