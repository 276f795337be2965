/**
 * Sample data for {@code sketchgate demo} and for tests that need realistic traffic.
 *
 * <p>Start reading at {@link io.sketchgate.demo.SampleWebLogs}: a seeded, replayable generator of page
 * views with Zipf-distributed users and daily seasonality, whose {@code load} creates monthly
 * {@code weblogs-yyyy.MM} indices and streams the events in through {@link io.sketchgate.es.BulkLoader}.
 * Replaying the generator gives the exact unique counts to check approximate ones against.
 */
package io.sketchgate.demo;
