package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.data.Checksums;
import org.vaelab.data.DataException;
import org.vaelab.data.DataSources;
import org.vaelab.data.ImageDataset;
import org.vaelab.data.Split;
import org.vaelab.provenance.Json;
import org.vaelab.train.Trainer;

/** A sweep on a user's own .npy file through {@code -Dvaelab.dataset}, end to end. */
class UserDataRunTest {

    /** A float32 n × 28 × 28 .npy file, as numpy.save writes it. */
    static void writeNpy(Path file, float[] values, int... shape) throws IOException {
        StringBuilder h = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) h.append(i > 0 ? ", " : "").append(shape[i]);
        h.append("), }");
        h.append(" ".repeat((64 - (10 + h.length() + 1) % 64) % 64)).append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }

    private static Properties props(Path reports, String dataset) {
        Properties p = new Properties();
        p.setProperty("vaelab.reports", reports.toString());
        p.setProperty("vaelab.dataset", dataset);
        p.setProperty("seeds", "1");
        return p;
    }

    @Test
    void aSweepRunsOnAUsersNpyAndRecordsItsChecksum(@TempDir Path dir) throws IOException {
        // 250 real digits, so that the tiny model has something to learn: 225 train, the last 25 test.
        ImageDataset digits = DataSources.subset(DataSources.mnistDigits(Split.TRAIN), 250);
        Path npy = dir.resolve("my digits.npy");
        writeNpy(npy, digits.pixels(), 250, 28, 28);
        String spec = "npy:" + npy;

        var buf = new ByteArrayOutputStream();
        ExperimentRunner.Result r = new ExperimentRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), new Trainer())
                .run(new ExperimentRunnerTest.Tiny(), Overrides.from(props(dir.resolve("reports"), spec)));
        String log = buf.toString(StandardCharsets.UTF_8);
        assertEquals(2, r.finished(), log);
        assertTrue(Files.isRegularFile(r.report()), log);
        assertTrue(r.folder().getFileName().toString().startsWith("tiny.") && log.contains("this is a variant of tiny"),
                "a user data set is a variant, in a folder of its own: " + r.folder());
        assertFalse(Files.exists(dir.resolve("reports/tiny")), "the canonical report is not touched");
        assertTrue(Files.readString(r.report()).contains(spec), "the report names the data set");

        String sha = Checksums.sha256(npy);
        List<Path> runs;
        try (Stream<Path> s = Files.list(r.folder().resolve("runs"))) {
            runs = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
        assertEquals(2, runs.size());
        for (Path run : runs) {
            JsonNode p = Json.MAPPER.readTree(run.resolve("provenance.json").toFile());
            assertEquals(spec, p.at("/config/data/dataset").asText());
            assertEquals(sha, p.at("/dataSha256").get(spec + "/train").asText(), p.toString());
            assertEquals(sha, p.at("/dataSha256").get(spec + "/test").asText(), p.toString());
        }

        // Other bytes, other runs: the file's checksum is part of the run key.
        float[] changed = digits.pixels().clone();
        changed[100] = changed[100] > 0.5f ? 0f : 1f;
        writeNpy(npy, changed, 250, 28, 28);
        var buf2 = new ByteArrayOutputStream();
        new ExperimentRunner(new PrintStream(buf2, true, StandardCharsets.UTF_8), new Trainer())
                .run(new ExperimentRunnerTest.Tiny(), Overrides.from(props(dir.resolve("reports"), spec)));
        assertFalse(buf2.toString(StandardCharsets.UTF_8).contains("reused"), buf2.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dataOfTheWrongDimensionFailBeforeAnythingTrains(@TempDir Path dir) throws IOException {
        Path npy = dir.resolve("small.npy");
        writeNpy(npy, new float[40 * 100], 40, 100);
        Trainer never = new Trainer((c, seed) -> {
            throw new AssertionError("nothing may train on data of the wrong dimension");
        });
        DataException e = assertThrows(DataException.class, () -> new ExperimentRunner(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), never)
                .run(new ExperimentRunnerTest.Tiny(), Overrides.from(props(dir.resolve("reports"), "npy:" + npy))));
        for (String part : List.of(npy.toString(), "36 examples of D = 100", "D = 784", "experiment tiny"))
            assertTrue(e.getMessage().contains(part), part + " missing from: " + e.getMessage());
    }
}
