/**
 * Datasets: reading IDX files, the pinned datasets vaelab runs on, and how pixels become targets.
 *
 * <ul>
 *   <li>{@link org.vaelab.data.DataSources} loads the built-in data sets (Fashion-MNIST, the 10,000-digit MNIST
 *       sample, generated sprites), one {@link org.vaelab.data.DataSource} registry entry each, by name and
 *       {@link org.vaelab.data.Split}, checking every file's SHA-256, into an immutable
 *       {@link org.vaelab.data.ImageDataset} with pixels in [0, 1].</li>
 *   <li>{@link org.vaelab.data.UserData} loads a user's own npy, IDX or CSV files from a spec such as
 *       {@code npy:/data/train.npy} ({@code -Dvaelab.dataset}).</li>
 *   <li>{@link org.vaelab.data.IdxReader} parses the IDX format (gzip or plain);
 *       {@link org.vaelab.data.Checksums} computes the hashes.</li>
 *   <li>{@link org.vaelab.data.Binarization} turns grey pixels into reconstruction targets: continuous,
 *       dynamically or statically binarized.</li>
 *   <li>Every failure caused by a file is a {@link org.vaelab.data.DataException} whose message names the
 *       file, says what is wrong and how to fix it.</li>
 * </ul>
 *
 * <p>Where the files come from, their licences and hashes, and the mnist-digits split are in
 * {@code data/README.md}.
 */
package org.vaelab.data;
