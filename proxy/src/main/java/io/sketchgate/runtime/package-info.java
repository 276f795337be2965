/**
 * Limits and unique-count definitions changed at run time: stored in the {@code sketchgate-config} index, versioned,
 * audited, and polled by every instance. Start at {@link io.sketchgate.runtime.RuntimeLimits}.
 */
package io.sketchgate.runtime;
