package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The messages of the errors that file systems really raise; these cannot be provoked portably (tests may run as root). */
class FileErrorsTest {

    private static final Path REPORT = Path.of("/x/report.md");

    @Test
    void permissionDenied() {
        var e = FileErrors.explain("write", REPORT, new AccessDeniedException("/x/.report.md123.tmp"));
        assertEquals("cannot write /x/report.md: permission denied (read-only folder?)", e.getMessage());
    }

    @Test
    void noSuchFileNamesTheFileTheSystemMeant() {
        var e = FileErrors.explain("read", REPORT, new NoSuchFileException("/x"));
        assertEquals("cannot read /x/report.md: no such file or folder (/x)", e.getMessage());
    }

    @Test
    void fullDisk() {
        var e = FileErrors.explain("write", REPORT, new FileSystemException("/x/.tmp", null, "No space left on device"));
        assertEquals("cannot write /x/report.md: no space left on the device (free some space or write the reports "
                + "elsewhere)", e.getMessage());
    }

    @Test
    void anExplainedErrorIsNotExplainedTwice() {
        IOException once = FileErrors.explain("write", REPORT, new IOException("disk on fire"));
        assertEquals("cannot write /x/report.md: disk on fire", once.getMessage());
        assertSame(once, FileErrors.explain("move", Path.of("/y"), once));
    }
}
