/** Unique-count sketches. */
package io.sketchgate.hll;
