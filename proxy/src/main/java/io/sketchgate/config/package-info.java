/**
 * YAML file to validated, immutable config records. Nothing else in Sketchgate reads settings, system
 * properties or environment variables.
 *
 * <p>Start with {@link io.sketchgate.config.ConfigLoader}: it composes the file into YAML nodes that keep
 * their line numbers and hands the root map, as a {@code ConfigSection}, to {@code SketchgateConfig.read}.
 * Each record reads its own keys in a package-private {@code read(ConfigSection)} and prints them back in
 * {@code toYamlTree()}, so a record's key names live in one place. Readers report problems and carry on with
 * defaults; the loader throws one {@link io.sketchgate.config.ConfigException} listing all of them, each as
 * {@code FILE:LINE: key.path: message, was "value"}.
 *
 * <p>To add a section ({@code roles:}, say): write a record with {@code static RolesConfig read(ConfigSection)}
 * and {@code toYamlTree()}, add it as a component of {@code SketchgateConfig}, read it there with
 * {@code root.section("roles")}, and document its keys in {@code docs/configuration.md} and
 * {@code config/sketchgate.yml}.
 */
package io.sketchgate.config;
