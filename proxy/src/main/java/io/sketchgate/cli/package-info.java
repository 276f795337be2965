/**
 * The {@code sketchgate} command line (picocli). Start with {@link io.sketchgate.cli.Main}: it lists the
 * subcommands and is the only place that exits the JVM. Commands load settings only through
 * {@link io.sketchgate.config.ConfigLoader}.
 */
package io.sketchgate.cli;
