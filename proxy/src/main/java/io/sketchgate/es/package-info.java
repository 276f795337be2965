/**
 * Sketchgate's own calls to Elasticsearch (identity checks, unique-count indices, stored config), made
 * with the low-level REST client and the credentials from {@code elasticsearch.*} in the config.
 * Passthrough traffic never goes through here; it keeps the client's own credentials.
 */
package io.sketchgate.es;
