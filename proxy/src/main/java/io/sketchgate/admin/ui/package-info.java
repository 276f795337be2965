/**
 * The admin web page at {@code /_sketchgate/ui/}: static files bundled in the jar ({@link io.sketchgate.admin.ui.UiAssets})
 * served by {@link io.sketchgate.admin.ui.WebUi}. The page itself is plain JavaScript modules that call the admin
 * API with the credentials the user types; serving it needs no identity, everything it shows does.
 */
package io.sketchgate.admin.ui;
