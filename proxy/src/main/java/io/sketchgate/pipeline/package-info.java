/**
 * The governed data path after the transport has read a request head: identity, classification, continuation
 * ownership, the policy decision, then the Kibana rewrite or a forward. Start at {@link io.sketchgate.pipeline.PolicyEngine}.
 */
package io.sketchgate.pipeline;
