package io.evpnkit.conformance;

/**
 * The run seed of the property suites: {@code -Devpnkit.seed=<hex>} to reproduce a run, else a
 * fixed default so that CI is deterministic. Every failure message carries the case id, which
 * {@code VxlanFrameGenerator.replay(id)} rebuilds on its own.
 */
final class Seeds {
  private Seeds() {}

  static long runSeed() {
    String s = System.getProperty("evpnkit.seed");
    long seed = s == null || s.isBlank() ? 0x5EED_0F_E7A9L : Long.parseUnsignedLong(s, 16);
    System.out.printf("property run seed: %x (rerun with -Devpnkit.seed=%x)%n", seed, seed);
    return seed;
  }

  static int cases(int defaultCount) {
    return Integer.getInteger("evpnkit.cases", defaultCount);
  }
}
