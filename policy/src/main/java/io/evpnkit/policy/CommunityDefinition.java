package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * A {@code policy-options community NAME members [...]} definition. A route matches when it carries
 * every member (Junos: the members of one community are a logical AND); with {@code invert-match},
 * when it does not.
 *
 * <p>Members: a standard community ({@code 65000:100}, {@code no-export}), an extended community in
 * the forms of evpn-codec's {@code ExtendedCommunity} ({@code target:1111:11}, {@code origin:..},
 * {@code encapsulation:vxlan}, ...) or the Junos numeric form {@code type:value1:value2} (decimal
 * type, 2+4 or 4+2 octets of value), a large community ({@code large:65000:1:2}), or else a regular
 * expression matched against the whole text of each community the route carries (standard {@code
 * A:B}, extended as above, large {@code large:A:B:C}); a part of a member that is only {@code *}
 * matches any value of that part ({@code target:65001:*}). Expressions use {@link
 * java.util.regex.Pattern} syntax, which accepts the POSIX extended expressions Junos documents.
 *
 * @param name the definition's name
 * @param members the members as written
 * @param invertMatch whether {@code invert-match} is set
 * @since 0.1
 */
@Beta
public record CommunityDefinition(String name, List<String> members, boolean invertMatch) {
  /** Copies the members. */
  public CommunityDefinition {
    members = List.copyOf(members);
  }
}
