/**
 * How many processors this process may use: the smallest of what the JVM sees (CPU affinity and, in JDK 17, the
 * cgroup quota of its own group), the Slurm allocation and the cgroup CPU quota up the group hierarchy
 * ({@link org.vaelab.cpu.CpuAllocation}). Every thread count vaelab chooses (OpenBLAS's, the element-wise passes'
 * helper, the workers of one launch) follows from it; and which OpenBLAS kernels the CPU can run
 * ({@link org.vaelab.cpu.CpuKernels}). It sits below every other package and uses none.
 */
package org.vaelab.cpu;
