/**
 * Junos-style configuration text and routing policy (issue 6, first part): {@link io.evpnkit.policy.JunosConfig}
 * reads the curly-brace hierarchy and {@code set} commands into one form, the statements as full paths of words
 * (what {@code show configuration | display set} prints), with errors that give line, column and what was expected.
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.policy;

import org.jspecify.annotations.NullMarked;
