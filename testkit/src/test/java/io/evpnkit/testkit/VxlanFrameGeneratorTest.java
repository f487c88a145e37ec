package io.evpnkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.vxlan.HeaderFormat;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VxlanFrameGeneratorTest {
  @Test
  void sameSeedSameFramesAndReplayRebuildsACase() {
    List<GeneratedFrame> a = new VxlanFrameGenerator(42).stream(200).collect(Collectors.toList());
    List<GeneratedFrame> b = new VxlanFrameGenerator(42).stream(200).collect(Collectors.toList());
    assertEquals(a, b);
    GeneratedFrame f = a.get(137);
    assertArrayEquals(f.bytes(), VxlanFrameGenerator.replay(f.id()).bytes());
    assertTrue(f.toString().contains(f.id()) && f.toString().contains(f.hex()));
    assertNotEquals(a, new VxlanFrameGenerator(43).stream(200).collect(Collectors.toList()));
  }

  @Test
  void coversEveryVariantAndGrowsSlowly() {
    List<GeneratedFrame> frames =
        new VxlanFrameGenerator(1).stream(2000).collect(Collectors.toList());
    EnumSet<HeaderFormat> formats = EnumSet.noneOf(HeaderFormat.class);
    frames.forEach(f -> formats.add(f.format()));
    assertEquals(EnumSet.allOf(HeaderFormat.class), formats);
    assertTrue(frames.stream().anyMatch(f -> f.ipVersion() == 6));
    assertTrue(frames.stream().anyMatch(f -> f.outerVlans().length == 2));
    assertTrue(frames.stream().anyMatch(f -> f.vni() == 0xFFFFFF));
    assertTrue(frames.stream().anyMatch(f -> f.description().contains("IPv6 NS")));
    assertTrue(frames.stream().anyMatch(f -> f.description().contains("ARP")));
    assertTrue(frames.stream().anyMatch(f -> f.innerProtocol() == 1));
    assertTrue(frames.get(0).length() < 200, "first cases are small");
  }

  @Test
  void mutatorsAreReproducible() {
    GeneratedFrame f = VxlanFrameGenerator.generate(7, 10);
    assertEquals(f.length(), FrameMutator.truncations(f).size());
    assertArrayEquals(FrameMutator.flipBits(f, 9).bytes(), FrameMutator.flipBits(f, 9).bytes());
    assertEquals(
        FrameMutator.lyingLengths(f, 3).toString(), FrameMutator.lyingLengths(f, 3).toString());
  }
}
