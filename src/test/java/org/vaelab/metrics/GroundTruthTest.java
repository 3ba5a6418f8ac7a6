package org.vaelab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Sprites;
import org.vaelab.data.Split;

/** Which data sets bring labels and factors to the evaluation. */
class GroundTruthTest {

    @Test
    void spritesBringTheirFactorsAlsoForATestLimit() {
        ImageDataset test = DataSources.subset(DataSources.byName(DataSources.SPRITES, Split.TEST), 300);
        GroundTruth t = GroundTruth.ofTestSet(DataSources.SPRITES, test);
        assertEquals(Sprites.FACTORS, t.factorNames());
        int[][] expected = Sprites.split(Split.TEST).factors();
        assertEquals(300, t.factors().length);
        for (int i = 0; i < 300; i++) assertArrayEquals(expected[i], t.factors()[i], "image " + i);
        assertArrayEquals(test.labels(), t.labels());
    }

    @Test
    void userArraysHaveNeitherLabelsNorFactors() {
        ImageDataset d = new ImageDataset("x/test", new float[8], 2, 2, 2, new int[2], "none");
        GroundTruth npy = GroundTruth.ofTestSet("npy:/data/x.npy", d);
        assertNull(npy.labels());
        assertNull(npy.factors());
        assertArrayEquals(new int[2], GroundTruth.ofTestSet("idx:/data/x", d).labels());
        // Images that are not the sprites test set are refused rather than paired with the wrong factors.
        ImageDataset wrong = new ImageDataset("sprites/test", new float[8], 2, 2, 2, new int[] {7, 7}, "none");
        assertThrows(IllegalArgumentException.class, () -> GroundTruth.ofTestSet(DataSources.SPRITES, wrong));
    }

    @Test
    void factorRowsMustMatchTheirNames() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new GroundTruth(null, List.of("a", "b"), new int[][] {{1, 2}, {3}}));
        assertEquals("factor row 1 has 1 entries, but there are 2 factor names [a, b]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroundTruth(null, List.of("a b"), new int[][] {{1}}));
    }
}
