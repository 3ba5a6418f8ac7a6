package org.vaelab.data;

/**
 * A dataset file is missing, corrupt, or not what vaelab expects.
 *
 * <p>Unchecked because no caller can recover from bad data inside an experiment: the run has to stop and a
 * person has to fix the file. Every message therefore names the file (or folder) concerned, says what is
 * wrong with it, and says how to get a good copy.
 */
public final class DataException extends RuntimeException {

    /** @param message what is wrong, with which file, and how to fix it */
    public DataException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, with which file, and how to fix it
     * @param cause   the I/O or decompression error that revealed it
     */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
