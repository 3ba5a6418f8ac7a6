/**
 * Child JVMs that never outlive the process that started them ({@link org.vaelab.process.ChildProcess}): the
 * launcher's training JVM, the workers of {@code -Dworkers}, the bench's sweep probes. A child watches its parent and
 * halts within a fraction of a second of its death, even after {@code kill -9}. It sits below every package that
 * starts children and uses none of vaelab's.
 */
package org.vaelab.process;
