/**
 * Model files that can be checked outside vaelab: {@link org.vaelab.export.ModelExport} writes a trained model's
 * weights as {@code model.npz}, a standard NumPy archive with one named float32 array per weight matrix and bias
 * ({@link org.vaelab.export.Npz}), and describes the file (names, layout, activations, likelihood) for
 * {@code provenance.json}. {@code tools/check_model.py} reads both with NumPy alone and recomputes the run's test
 * metrics.
 *
 * <p>Why NumPy's format: it is the one array container that NumPy, PyTorch ({@code torch.from_numpy}), JAX and
 * most other tools read without vaelab's code, and it is simple enough to parse by hand (a zip of {@code .npy}
 * files, each a short text header and the raw little-endian values).
 */
package org.vaelab.export;
