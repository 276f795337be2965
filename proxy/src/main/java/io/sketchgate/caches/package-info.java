/** How Sketchgate's in-memory caches are built; the lowest layer, used by any package that keeps a cache. */
package io.sketchgate.caches;
