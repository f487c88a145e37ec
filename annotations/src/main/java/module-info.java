/**
 * The annotations evpnkit marks its API with: {@link io.evpnkit.annotations.Beta}.
 *
 * @since 0.1
 */
module io.evpnkit.annotations {
  exports io.evpnkit.annotations;
}
