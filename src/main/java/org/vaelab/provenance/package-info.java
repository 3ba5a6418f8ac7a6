/**
 * Provenance recorded with every run: its configuration and the configuration's SHA-256, the seed, the git
 * commit and dirty flag, Java/ND4J/OS versions, hardware and thread settings, data checksums and timings.
 */
package org.vaelab.provenance;
