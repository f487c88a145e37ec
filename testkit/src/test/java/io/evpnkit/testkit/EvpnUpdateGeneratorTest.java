package io.evpnkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EvpnUpdateGeneratorTest {
  @Test
  void aRunCoversEveryRouteTypeAndSessionKindAndReplays() {
    EvpnUpdateGenerator g = new EvpnUpdateGenerator(42);
    Set<Integer> types = new TreeSet<>();
    Set<String> kinds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      GeneratedUpdate u = g.next();
      assertTrue(u.length() <= 4096, u::toString);
      for (List<byte[]> list : List.of(u.announced(), u.withdrawn())) {
        for (byte[] n : list) {
          types.add(Math.min(12, n[0] & 0xFF));
        }
      }
      kinds.add(u.options().addPath() ? "add-path" : "no add-path");
      kinds.add(u.options().fourOctetAs() ? "4-octet" : "2-octet");
      kinds.add(u.announced().isEmpty() ? "withdraw only" : "announces");
      kinds.add(u.nextHop().length + " octet next hop");
      assertArrayEquals(u.bytes(), EvpnUpdateGenerator.replay(u.id()).bytes());
    }
    assertEquals(
        Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), types); // 12: any unknown, opaque type
    assertTrue(
        kinds.containsAll(
            Set.of(
                "add-path",
                "no add-path",
                "4-octet",
                "2-octet",
                "withdraw only",
                "announces",
                "4 octet next hop",
                "16 octet next hop",
                "32 octet next hop")),
        kinds::toString);
  }

  @Test
  void theMutatorCoversEveryMutationItNames() {
    EvpnUpdateGenerator g = new EvpnUpdateGenerator(7);
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < 300; i++) {
      GeneratedUpdate u = g.next();
      for (MutatedUpdate m : UpdateMutator.mutations(u, g.next(), i, 4)) {
        names.add(m.mutation().replaceAll("[0-9]+", "N"));
      }
    }
    assertTrue(
        names.containsAll(
            Set.of(
                "AS_PATH missing",
                "AS_PATH with an empty segment",
                "AS_PATH segment count past the attribute",
                "MP_REACH_NLRI next hop length past the attribute",
                "EXTENDED_COMMUNITIES one octet short",
                "MAC length N",
                "ORIGIN of two octets",
                "ORIGIN twice",
                "ORIGIN value N",
                "ORIGIN with the Optional bit",
                "Total Path Attribute Length one short",
                "Total Path Attribute Length past the message",
                "Withdrawn Routes Length past the message",
                "attribute N twice",
                "attributes in reverse order",
                "cut at N",
                "last NLRI one octet longer than MP_REACH_NLRI",
                "last attribute one octet longer than the attributes",
                "message length one more than the bytes",
                "unknown optional transitive attribute",
                "unknown well-known attribute",
                "N bit flips")),
        names::toString);
    GeneratedUpdate one = EvpnUpdateGenerator.generate(1, 1);
    assertEquals(
        one.length(), UpdateMutator.truncations(one).count()); // every length from 0 to one short
  }

  @Test
  void fuzzInputsAreDeterministicAndStructured() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    int wellFormedHeaders = 0;
    for (int i = 0; i < 500; i++) {
      byte[] data = new byte[r.nextInt(40)];
      for (int j = 0; j < data.length; j++) {
        data[j] = (byte) r.nextInt(256);
      }
      byte[] a = FuzzInputs.evpnUpdate(data);
      assertArrayEquals(a, FuzzInputs.evpnUpdate(data));
      assertTrue(a.length <= 4096);
      if (a.length >= 19 && (a[16] & 0xFF) * 256 + (a[17] & 0xFF) == a.length) {
        wellFormedHeaders++;
      }
    }
    assertTrue(wellFormedHeaders > 400, "well-formed headers " + wellFormedHeaders);
  }
}
