package io.evpnkit.conformance;

import io.evpnkit.evpn.Communities;
import io.evpnkit.evpn.PathAttributes;
import java.util.ArrayList;
import java.util.List;

/** The communities of attributes as one list of texts, for test tables. */
final class PathAttributesText {
  private PathAttributesText() {}

  static List<String> communities(PathAttributes a) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.communityCount(); i++) {
      out.add(Communities.format(a.community(i)));
    }
    a.extendedCommunities().forEach(e -> out.add(e.toString()));
    a.largeCommunities().forEach(l -> out.add("large:" + l));
    return out;
  }
}
