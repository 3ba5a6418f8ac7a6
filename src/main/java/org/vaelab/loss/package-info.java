/**
 * The training loss in the one form every weighting scheme shares: what a forward pass measures on a batch
 * ({@link org.vaelab.loss.BatchStats}: Rec, KL per latent dimension, squared error) and the coefficients those terms
 * are weighted with for one step ({@link org.vaelab.loss.LossWeights}).
 *
 * <p>These are the only words the model and the weighting share. {@link org.vaelab.model} measures and
 * differentiates the loss; {@link org.vaelab.weighting} chooses its coefficients; {@link org.vaelab.train} passes
 * one's answer to the other. Keeping the two records here, below both, lets neither package know the other.
 * Conventions follow docs/theory.md: summed over pixels and latent dimensions per example, averaged over the batch, in
 * nats.
 */
package org.vaelab.loss;
