package io.evpnkit.policy;

import io.evpnkit.evpn.Communities;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.PathAttributes;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One compiled member of a community definition (see {@link CommunityDefinition} for the forms).
 * Literal members compare numbers; expression members remember, per community value, whether the
 * expression matched its text, in a small direct-mapped table of immutable entries: after the first
 * sight of a value, matching allocates nothing, and concurrent evaluations only ever see whole
 * entries.
 */
final class CommunityMember {
  static final int STANDARD = 0;
  static final int EXTENDED = 1;
  static final int LARGE = 2;
  static final int EXPRESSION = 3;
  private static final int CACHE_SIZE = 256;

  final int kind;
  final long value; // standard (int), extended (long)
  final @Nullable LargeCommunity large;
  final @Nullable Pattern pattern;
  private final @Nullable Entry @Nullable [] cache;

  private record Entry(int kind, long a, long b, boolean matched) {}

  private CommunityMember(
      int kind, long value, @Nullable LargeCommunity large, @Nullable Pattern pattern) {
    this.kind = kind;
    this.value = value;
    this.large = large;
    this.pattern = pattern;
    this.cache = pattern == null ? null : new Entry[CACHE_SIZE];
  }

  /**
   * Compiles a member.
   *
   * @throws IllegalArgumentException saying why the text is neither a community nor an expression
   */
  static CommunityMember compile(String text) {
    if (text.startsWith("large:")) {
      try {
        return new CommunityMember(LARGE, 0, LargeCommunity.parse(text.substring(6)), null);
      } catch (MalformedException e) {
        // an expression, perhaps
      }
    }
    String[] parts = text.split(":", -1);
    if (parts.length == 2
        || (parts.length == 1 && !text.isEmpty() && Character.isLetter(text.charAt(0)))) {
      try {
        return new CommunityMember(STANDARD, Communities.parse(text) & 0xFFFF_FFFFL, null, null);
      } catch (MalformedException e) {
        // go on
      }
    }
    if (parts.length >= 1 && !parts[0].isEmpty() && Character.isLetter(parts[0].charAt(0))) {
      try {
        return new CommunityMember(EXTENDED, ExtendedCommunity.parse(text).value(), null, null);
      } catch (MalformedException e) {
        // go on
      }
    }
    if (parts.length == 3 && isNumber(parts[0]) && isNumber(parts[1]) && isNumber(parts[2])) {
      long type = Long.parseLong(parts[0]);
      long a = Long.parseLong(parts[1]);
      long b = Long.parseLong(parts[2]);
      if (type <= 0xFFFF) {
        if (a <= 0xFFFF && b <= 0xFFFF_FFFFL) {
          return new CommunityMember(EXTENDED, type << 48 | a << 32 | b, null, null);
        }
        if (a <= 0xFFFF_FFFFL && b <= 0xFFFF) {
          return new CommunityMember(EXTENDED, type << 48 | a << 16 | b, null, null);
        }
      }
      throw new IllegalArgumentException(
          "community "
              + text
              + ": type:value1:value2 needs a type up to 65535 and "
              + "2+4 or 4+2 octets of value");
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      // a part that is only '*' is Junos's wildcard for any value of that part
      regex.append(i == 0 ? "" : ":").append(parts[i].equals("*") ? "[^:]*" : parts[i]);
    }
    String source;
    try {
      source = CommunityRegex.translate(regex.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "community member "
              + text
              + " is neither a community nor a regular "
              + "expression: "
              + e.getMessage(),
          e);
    }
    return new CommunityMember(
        EXPRESSION, 0, null, Pattern.compile(source)); // valid by construction
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Returns whether the route's attributes carry a community this member matches. */
  boolean presentIn(PathAttributes a) {
    if (kind == STANDARD) {
      return a.hasCommunity((int) value);
    }
    if (kind == EXTENDED) {
      for (int i = 0, n = a.extendedCommunityCount(); i < n; i++) {
        if (a.extendedCommunityValue(i) == value) {
          return true;
        }
      }
      return false;
    }
    if (kind == LARGE) {
      return a.largeCommunities().contains(large);
    }
    for (int i = 0, n = a.communityCount(); i < n; i++) {
      if (matchesStandard(a.community(i))) {
        return true;
      }
    }
    for (int i = 0, n = a.extendedCommunityCount(); i < n; i++) {
      if (matchesExtended(a.extendedCommunityValue(i))) {
        return true;
      }
    }
    var larges = a.largeCommunities();
    for (int i = 0, n = larges.size(); i < n; i++) {
      if (matchesLarge(larges.get(i))) {
        return true;
      }
    }
    return false;
  }

  boolean matchesStandard(int community) {
    return switch (kind) {
      case STANDARD -> (int) value == community;
      case EXPRESSION -> cached(STANDARD, community & 0xFFFF_FFFFL, 0);
      default -> false;
    };
  }

  boolean matchesExtended(long community) {
    return switch (kind) {
      case EXTENDED -> value == community;
      case EXPRESSION -> cached(EXTENDED, community, 0);
      default -> false;
    };
  }

  boolean matchesLarge(LargeCommunity community) {
    return switch (kind) {
      case LARGE -> community.equals(large);
      case EXPRESSION ->
          cached(LARGE, community.global(), community.local1() << 32 | community.local2());
      default -> false;
    };
  }

  private boolean cached(int k, long a, long b) {
    @Nullable Entry[] c = cache;
    Pattern p = pattern;
    if (c == null || p == null) {
      return false;
    }
    long h = (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL) ^ k;
    int slot = (int) (h ^ (h >>> 29)) & (CACHE_SIZE - 1);
    Entry e = c[slot];
    if (e != null && e.kind == k && e.a == a && e.b == b) {
      return e.matched;
    }
    String text =
        switch (k) {
          case STANDARD -> (a >>> 16) + ":" + (a & 0xFFFF);
          case EXTENDED -> ExtendedCommunity.of(a).toString();
          default -> "large:" + a + ":" + (b >>> 32) + ":" + (b & 0xFFFF_FFFFL);
        };
    boolean matched = p.matcher(text).matches();
    c[slot] = new Entry(k, a, b, matched);
    return matched;
  }

  /** Returns whether this member can be added to a route (a literal community). */
  boolean isLiteral() {
    return kind != EXPRESSION;
  }
}
