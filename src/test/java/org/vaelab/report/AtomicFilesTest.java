package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Temporary files are created 0600; what is renamed into place must be readable by others. */
    @Test
    void writtenFilesAre0644AndNewFolders0755(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path report = dir.resolve("tiny/report.md");
        AtomicFiles.writeString(report, "# tiny\n");
        assertEquals("# tiny\n", Files.readString(report));
        assertEquals("rw-r--r--", mode(report));
        assertEquals("rwxr-xr-x", mode(report.getParent()));
        AtomicFiles.writeString(report, "# tiny, again\n");
        assertEquals("rw-r--r--", mode(report));
        assertEquals(List.of("report.md"), names(report.getParent()), "no temporary file is left");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryOne(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("results.tex");
        AtomicFiles.writeString(f, "old");
        var e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + f + ": no space left on the device (free some space or write the reports "
                + "elsewhere)", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("results.tex"), names(dir));
    }

    /** Runs as root ignore permissions, so the error of a path blocked by a file stands for an unwritable one. */
    @Test
    void errorsNameThePathAndTheOperation(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("reports");
        Files.writeString(file, "a file where a folder should be");
        var e = assertThrows(IOException.class, () -> AtomicFiles.writeString(file.resolve("tiny/report.md"), "x"));
        assertTrue(e.getMessage().startsWith("cannot create folder " + file + ": "), e.getMessage());

        e = assertThrows(IOException.class, () -> AtomicFiles.move(dir.resolve("missing"), dir.resolve("b")));
        assertEquals("cannot move " + dir.resolve("missing") + " to " + dir.resolve("b") + ": no such file or folder ("
                + dir.resolve("missing") + ")", e.getMessage());
    }

    @Test
    void checkWritableCreatesTheFolderAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("reports/sweep/runs");
        AtomicFiles.checkWritable(runs, 1000);
        assertTrue(Files.isDirectory(runs));
        assertEquals(List.of(), names(runs), "the probe file is deleted");
    }

    @Test
    void checkWritableSaysHowMuchSpaceIsMissing(@TempDir Path dir) {
        var e = assertThrows(IOException.class, () -> AtomicFiles.checkWritable(dir, Long.MAX_VALUE));
        assertTrue(e.getMessage().matches("not enough space in " + java.util.regex.Pattern.quote(dir.toString())
                + ": 9223372036\\.9 GB needed, [0-9.]+ [kMG]B free; free some space or write the reports elsewhere"),
                e.getMessage());
    }

    @Test
    void checkWritableNamesAFolderThatCannotBeCreated(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("taken");
        Files.writeString(file, "");
        var e = assertThrows(IOException.class, () -> AtomicFiles.checkWritable(file, 0));
        assertTrue(e.getMessage().startsWith("cannot create folder " + file + ": already exists"), e.getMessage());
    }
}
