/**
 * The governed data path after the transport has read a request head, in one method ({@link
 * io.sketchgate.pipeline.RequestPipeline#evaluate}): identity, the request parsed once, continuation ownership, the
 * policy decision, then the Kibana rewrite or a forward, with one error translator. {@link
 * io.sketchgate.pipeline.Governance} wires it from the configuration.
 */
package io.sketchgate.pipeline;
