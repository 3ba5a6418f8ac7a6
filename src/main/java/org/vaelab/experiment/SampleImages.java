package org.vaelab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaelab.data.ImageDataset;
import org.vaelab.metrics.GaussianKl;
import org.vaelab.model.NativeArrays;
import org.vaelab.model.Posterior;
import org.vaelab.model.VaeModel;
import org.vaelab.report.ImageGrid;

/**
 * The pictures a reader checks first, asked of a trained model once: test images with their reconstructions (decoder
 * mean at z = μ), samples from the prior z ~ N(0, I), and traversals of the three latent dimensions with the most KL
 * (the first test image's μ with one coordinate swept from −3 to 3).
 */
final class SampleImages {

    static final int COLUMNS = 10;
    static final int TRAVERSED = 3;

    private SampleImages() {
    }

    /**
     * @param test      the evaluation images, in the targets' scale (first {@link #COLUMNS} are shown)
     * @param posterior the test posterior computed by the evaluator
     * @param seed      seed of the prior samples
     */
    static ImageGrid of(String title, VaeModel model, ImageDataset test, Posterior posterior, long seed) {
        int d = posterior.d();
        int n = Math.min(COLUMNS, test.n());
        int dim = test.dim();
        List<String> labels = new ArrayList<>();
        List<List<float[]>> rows = new ArrayList<>();

        List<float[]> data = new ArrayList<>();
        for (int i = 0; i < n; i++) data.add(Arrays.copyOfRange(test.pixels(), i * dim, (i + 1) * dim));
        labels.add("test images");
        rows.add(data);

        labels.add("reconstructions (z = μ)");
        rows.add(decode(model, Arrays.copyOf(posterior.mu(), n * d), n, d));

        SplittableRandom rng = new SplittableRandom(seed);
        double[] prior = new double[COLUMNS * d];
        for (int i = 0; i < prior.length; i++) prior[i] = rng.nextGaussian();
        labels.add("prior samples z ~ N(0, I)");
        rows.add(decode(model, prior, COLUMNS, d));

        double[] kl = GaussianKl.perDimension(posterior);
        int[] top = IntStream.range(0, d).boxed().sorted(Comparator.comparingDouble(j -> -kl[j]))
                .limit(Math.min(TRAVERSED, d)).mapToInt(Integer::intValue).toArray();
        for (int j : top) {
            double[] z = new double[COLUMNS * d];
            for (int c = 0; c < COLUMNS; c++) {
                System.arraycopy(posterior.mu(), 0, z, c * d, d);
                z[c * d + j] = -3 + 6.0 * c / (COLUMNS - 1);
            }
            labels.add(String.format(Locale.ROOT, "z%d from −3 to 3 (KL %.2f)", j, kl[j]));
            rows.add(decode(model, z, COLUMNS, d));
        }
        return new ImageGrid(title, labels, rows, test.width(), test.height());
    }

    private static List<float[]> decode(VaeModel model, double[] z, int n, int d) {
        INDArray out = model.decode(NativeArrays.rows(z, n, d).castTo(DataType.FLOAT));
        float[][] m = out.castTo(DataType.FLOAT).toFloatMatrix();
        return Arrays.asList(m);
    }
}
