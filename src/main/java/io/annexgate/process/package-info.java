/**
 * Child processes with a bounded life: started from a {@link io.annexgate.process.ChildCommand},
 * their output drained concurrently into bounded buffers, and on a timeout, an interruption or a
 * close the whole process tree killed.
 */
package io.annexgate.process;
