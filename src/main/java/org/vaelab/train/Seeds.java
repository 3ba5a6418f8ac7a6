package org.vaelab.train;

import java.util.SplittableRandom;

/**
 * One root seed per run, split into independent streams per component (as Tribuo's trainers do), so that
 * changing how one component draws numbers never shifts another's. The split order is fixed: changing it
 * changes every result, so append new components at the end.
 *
 * @param init      parameter initialisation
 * @param dataOrder minibatch order (shuffling each epoch)
 * @param noise     reparameterisation noise ε during training; shared by all schemes with the same seed
 * @param binarize  dynamic binarisation of training images
 * @param eval      Monte-Carlo samples during evaluation
 */
public record Seeds(long init, long dataOrder, long noise, long binarize, long eval) {

    public static Seeds of(long root) {
        SplittableRandom r = new SplittableRandom(root);
        return new Seeds(r.split().nextLong(), r.split().nextLong(), r.split().nextLong(), r.split().nextLong(),
                r.split().nextLong());
    }
}
