package org.vaelab.model;

import java.util.List;

/**
 * A copy of a trained MLP VAE's weights in float32, detached from the engine that made it: what a model file is
 * written from, so it stays valid after the engine is closed.
 *
 * <p>Layers are listed input side first, as in {@link VaeArchitecture}: the encoder's hidden layers then its
 * output layer, whose {@code 2d} columns are {@code [μ | log σ²]} (first d columns μ, last d columns log σ²);
 * the decoder's hidden layers then its output layer, which produces logits. A dense layer computes
 * {@code out = in · W + b} with W of shape in × out.
 *
 * @param architecture the architecture the weights belong to
 * @param encoder      encoder layers, input side first; the last one is the [μ | log σ²] head
 * @param decoder      decoder layers, latent side first; the last one produces the logits
 */
public record ModelParameters(VaeArchitecture architecture, List<Dense> encoder, List<Dense> decoder) {

    public ModelParameters {
        if (architecture == null) throw new IllegalArgumentException("architecture must be set");
        encoder = List.copyOf(encoder);
        decoder = List.copyOf(decoder);
        check("encoder", encoder, architecture.inputDim(), architecture.encoderHidden(), 2 * architecture.latentDim());
        check("decoder", decoder, architecture.latentDim(), architecture.decoderHidden(), architecture.inputDim());
    }

    /**
     * One dense layer, {@code out = in · W + b}.
     *
     * @param in  input width
     * @param out output width
     * @param w   W, in × out, row-major: {@code W[r][c] = w[r * out + c]}
     * @param b   bias, length out
     */
    public record Dense(int in, int out, float[] w, float[] b) {
        public Dense {
            if (in < 1 || out < 1) throw new IllegalArgumentException("layer widths must be ≥ 1, got " + in + " × " + out);
            if (w.length != (long) in * out)
                throw new IllegalArgumentException("W must have in*out = " + (long) in * out + " entries, got " + w.length);
            if (b.length != out) throw new IllegalArgumentException("b must have out = " + out + " entries, got " + b.length);
            w = w.clone();
            b = b.clone();
        }

        @Override
        public float[] w() {
            return w.clone();
        }

        @Override
        public float[] b() {
            return b.clone();
        }
    }

    private static void check(String part, List<Dense> layers, int in, List<Integer> hidden, int out) {
        if (layers.size() != hidden.size() + 1)
            throw new IllegalArgumentException(part + " must have " + (hidden.size() + 1) + " layers, got " + layers.size());
        int prev = in;
        for (int i = 0; i < layers.size(); i++) {
            int width = i < hidden.size() ? hidden.get(i) : out;
            Dense l = layers.get(i);
            if (l.in() != prev || l.out() != width)
                throw new IllegalArgumentException(part + " layer " + i + " must be " + prev + " × " + width + ", got "
                        + l.in() + " × " + l.out());
            prev = width;
        }
    }
}
