/**
 * The annotations evpnkit marks its API with: {@link io.evpnkit.annotations.Beta} for what may
 * still change.
 *
 * @since 0.1
 */
package io.evpnkit.annotations;
