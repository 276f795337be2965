/**
 * The HTTP vocabulary every layer shares: {@link io.sketchgate.http.ProxyException} (an error in Elasticsearch's shape),
 * {@link io.sketchgate.http.Verdict} (what policy decided for one request), and the JSON bodies of error responses.
 * Depends on nothing of Sketchgate's but config.
 */
package io.sketchgate.http;
