/** JMH benchmarks; see benchmarks/README.md. */
package io.sketchgate;
