/**
 * What Elasticsearch would read from a request, without deciding anything: the path ({@link
 * io.sketchgate.esapi.RequestPath}), which endpoints are queries ({@link io.sketchgate.esapi.QueryEndpoint},
 * {@link io.sketchgate.esapi.RequestClassifier}), index expressions and their resolution, {@code _msearch} bodies,
 * continuation ids, and Elasticsearch's date formats and date math. Start at {@link io.sketchgate.esapi.RequestClassifier}.
 */
package io.sketchgate.esapi;
